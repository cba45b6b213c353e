package dev.dmatrace.kernel.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** lib/cmdline.c memparse over simple_strtoull(base 0), identical in 4.4, 5.10 and 6.1. */
class MemparseTest {

    @ParameterizedTest(name = "memparse(\"{0}\") = {1}, stops at {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            64M                  | 67108864             | 3
            64m                  | 67108864             | 3
            1k                   | 1024                 | 2
            1G                   | 1073741824           | 2
            2T                   | 2199023255552        | 2
            1P                   | 1125899906842624     | 2
            1E                   | 1152921504606846976  | 2
            0x4000000            | 67108864             | 9
            0X10M                | 16777216             | 5
            010                  | 8                    | 3
            08                   | 0                    | 1
            0x                   | 0                    | 1
            0xg                  | 0                    | 1
            16Mb                 | 16777216             | 3
            1e                   | 1152921504606846976  | 2
            0x1e                 | 30                   | 4
            abc                  | 0                    | 0
            -1                   | 0                    | 0
            ''                   | 0                    | 0
            18446744073709551617 | 1                    | 20
            16E                  | 0                    | 3
            """)
    void memparse_followsTheKernelsSimpleStrtoullAndSuffixes(String text, String value, int end) {
        Memparse.Result r = Memparse.memparse(text, 0);

        assertThat(Long.toUnsignedString(r.value())).isEqualTo(value);
        assertThat(r.end()).isEqualTo(end);
    }
}
