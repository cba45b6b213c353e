package dev.dmatrace.kernel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dmatrace boot}: the boot log of a DTS board, and parser errors as FILE:LINE:COL, never a trace. */
class BootCmdTest {

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = KernelMain.run(args, new PrintWriter(out), new PrintWriter(err));
        return rc + "\n" + out + err;
    }

    @Test
    void dtsBoard_printsTheBootLogAndTheBoundDevices() {
        String r = run("boot", "--dts", "src/test/resources/dts/ref-a64.dts", "--cmdline", "cma=32M");
        assertThat(r).startsWith("0\n").contains("Reserved memory: bypass linux,cma node, using cmdline CMA params")
                .contains("device 11000000.dsp: dma_mem=4096 pages at 0x7c000000");
    }

    @Test
    void unterminatedNode_isAParserErrorWithLineAndColumn(@TempDir Path tmp) throws Exception {
        Path dts = tmp.resolve("bad.dts");
        Files.writeString(dts, "/dts-v1/;\n/ {\n  foo {\n");
        String r = run("boot", "--dts", dts.toString());
        assertThat(r).startsWith("2\n").contains("bad.dts:3:7: unterminated node").doesNotContain("Exception");
    }

    @Test
    void unknownBoardOrKernel_isBadInput() {
        assertThat(run("boot", "--board", "nope")).startsWith("2\n");
        assertThat(run("boot", "--profile", "3.18")).startsWith("2\n");
    }
}
