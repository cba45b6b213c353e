package dev.dmatrace.kernel.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.cli.KernelMain;
import dev.dmatrace.kernel.mm.DebugVm;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dmatrace oracle}: every recorded public case through dma_alloc_coherent() on the simulated kernel. */
class OracleTest {

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = KernelMain.run(args, new PrintWriter(out), new PrintWriter(err));
        return rc + "\n" + out + err;
    }

    @Test
    void oracleAll_everyPublicCaseEqual() throws Exception {
        List<Path> cases = Oracle.allCases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(8);
        String result = run("oracle", "--all");
        for (Path c : cases) {
            assertThat(result).contains("oracle " + c.getFileName() + ": equal");
        }
        assertThat(result).startsWith("0\n").doesNotContain("differs");
    }

    @Test
    void oracleRun_leavesConsistentMemory() throws Exception {
        for (Path c : Oracle.allCases()) {
            OracleRun r = new OracleRun(OracleCase.load(c)).run();
            assertThat(DebugVm.check(r.kernel().machine().pageAlloc())).as(c.toString()).isEmpty();
        }
    }

    @Test
    void print_worksOnADirectoryWithOnlyCaseJson(@TempDir Path tmp) throws Exception {
        Path src = Oracle.allCases().get(0);
        Files.copy(src.resolve("case.json"), tmp.resolve("case.json"));
        String result = run("oracle", "--print", tmp.toString());
        assertThat(result).startsWith("0\n").contains("EV cma_alloc_start").contains("MOD dma_oracle: alloc idx=0");
    }

    @Test
    void compare_reportsADifferingLine(@TempDir Path tmp) throws Exception {
        Path src = Oracle.allCases().get(0);
        Files.copy(src.resolve("case.json"), tmp.resolve("case.json"));
        String summary = Files.readString(src.resolve("summary.txt")).replaceFirst("count=256", "count=255");
        Files.writeString(tmp.resolve("summary.txt"), summary);
        String result = run("oracle", tmp.toString());
        assertThat(result).startsWith("1\n").contains("differs").contains("- EV cma_alloc_start: name=reserved count=255");
    }

    @Test
    void pagesHeldWithAllocContigRange_traceBeforeTheFirstCmaAlloc(@TempDir Path tmp) throws Exception {
        Path src = Oracle.allCases().stream().filter(d -> d.getFileName().toString().startsWith("p7")).findFirst()
                .orElseThrow();
        Files.writeString(tmp.resolve("case.json"), Files.readString(src.resolve("case.json"))
                .replace("\"pinned_how\": [\n      \"alloc\"", "\"pinned_how\": [\n      \"contig\""));
        String result = run("oracle", "--print", tmp.toString());
        int firstIsolated = result.indexOf("end_pfn=0x5eb8e fin_pfn");
        assertThat(firstIsolated).isPositive().isLessThan(result.indexOf("EV cma_alloc_start"));
    }

    @Test
    void missingCaseJson_isBadInput(@TempDir Path tmp) {
        assertThat(run("oracle", tmp.toString())).startsWith("2\n").contains("no case.json");
    }

    @Test
    void warnFn_dropsTheOffset() {
        assertThat(OracleCompare.warnFn("WARNING: CPU: 0 PID: 98 at mm/page_alloc.c:5634 __alloc_pages+0x3a4/0xfbc"))
                .isEqualTo("__alloc_pages");
    }
}
