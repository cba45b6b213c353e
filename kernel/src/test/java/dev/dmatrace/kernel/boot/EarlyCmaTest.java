package dev.dmatrace.kernel.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.of.OfProfile;
import org.junit.jupiter.api.Test;

/** early_cma: drivers/base/dma-contiguous.c (4.4), kernel/dma/contiguous.c (5.10, 6.1). */
class EarlyCmaTest {

    private static Cmdline parse(String cmdline, String version) {
        return Cmdline.parse(cmdline, new OfProfile(version, Arch.ARM));
    }

    @Test
    void sizeOnly_leavesBaseAndLimitZero_soTheArchLimitApplies() {
        EarlyCma cma = parse("cma=256M", "5.10").cma();

        assertThat(cma.given()).isTrue();
        assertThat(cma.base()).isZero();
        assertThat(cma.limitFor(0x30000000L)).isEqualTo(0x30000000L);
        assertThat(cma.fixed()).isFalse();
    }

    @Test
    void sizeAtBase_withoutEnd_isFixedAtBase() {
        EarlyCma cma = parse("cma=64M@0x60000000", "4.4").cma();

        assertThat(cma.limit()).isEqualTo(0x64000000L);
        assertThat(cma.fixed()).isTrue();
        assertThat(cma.limitFor(0x70000000L)).isEqualTo(0x64000000L);
    }

    @Test
    void sizeAtStartDashEnd_isARangeToSearch() {
        EarlyCma cma = parse("cma=64M@0x00000000-0x20000000", "6.1").cma();

        assertThat(cma.limit()).isEqualTo(0x20000000L);
        assertThat(cma.fixed()).isFalse();
        assertThat(cma.limitFor(0)).isEqualTo(0x20000000L);
    }

    @Test
    void cmaZero_isGiven_andDisablesTheDefaultArea() {
        EarlyCma cma = parse("cma=0", "6.1").cma();

        assertThat(cma.given()).isTrue();
        assertThat(cma.size()).isZero();
    }

    /** The statics survive: a later cma=32M keeps the earlier base and limit, as in every version. */
    @Test
    void repeatedOption_overwritesOnlyWhatItParses() {
        EarlyCma cma = parse("cma=64M@0x40000000 cma=32M", "5.10").cma();

        assertThat(cma.size()).isEqualTo(32L << 20);
        assertThat(cma.base()).isEqualTo(0x40000000L);
        assertThat(cma.limit()).isEqualTo(0x44000000L);
    }

    @Test
    void bareCma_5_10_isConfigStringNotProvided_andMalformed() {
        Cmdline c = parse("cma", "5.10");

        assertThat(c.cma().given()).isFalse();
        assertThat(c.log().texts()).containsExactly("cma: Config string not provided", "Malformed early option 'cma'");
    }

    @Test
    void bareCma_4_4_isReportedAsTheNullDereferenceItWouldBe() {
        Cmdline c = parse("cma", "4.4");

        assertThat(c.log().texts()).isEmpty();
        assertThat(c.diagnostics()).containsExactly("cma: no value; 4.4's early_cma would dereference NULL and oops");
    }

    @Test
    void missingBaseNumber_isDiagnosed() {
        Cmdline c = parse("cma=64M@", "6.1");

        assertThat(c.cma().limit()).isEqualTo(64L << 20);
        assertThat(c.diagnostics()).containsExactly("cma=64M@: '' is not a number; the kernel reads 0");
    }
}
