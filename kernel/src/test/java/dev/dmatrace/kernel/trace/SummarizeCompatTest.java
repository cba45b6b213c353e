package dev.dmatrace.kernel.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dmatrace.kernel.boot.Boards;
import dev.dmatrace.kernel.boot.Machine;
import dev.dmatrace.kernel.mm.Gfp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simulated trace goes through the oracle's own summarize.sh like a real one (skipped when ../shared is not
 * beside the checkout).
 */
class SummarizeCompatTest {

    private static final Path SUMMARIZE = Path.of("..", "..", "shared", "oracle", "summarize.sh");

    @Test
    void extfragEvent_isAnEvLine_ofTheOraclesShape_6_1(@TempDir Path tmp) throws IOException, InterruptedException {
        assumeTrue(Files.isRegularFile(SUMMARIZE), "the oracle's summarize.sh is not beside this checkout");
        Machine m = Machine.boot(Boards.ORACLE_ARM64_512M);
        m.tracing().enable("kmem", true);
        m.pageAlloc().allocPages(Gfp.GFP_KERNEL, 8);
        List<String> log = new ArrayList<>();
        log.add("=== ORACLE TRACE (uptime 0.90)");
        log.addAll(m.tracing().lines());
        log.add("=== ORACLE END (uptime 0.92)");
        Path file = tmp.resolve("log.txt");
        Files.write(file, log, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder("bash", SUMMARIZE.toString(), file.toString()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out.lines().filter(l -> l.startsWith("EV ")).toList()).singleElement().asString()
                .matches("EV mm_page_alloc_extfrag: pfn=0x[0-9a-f]+ alloc_order=8 fallback_order=10 pageblock_order=9 "
                        + "alloc_migratetype=0 fallback_migratetype=1 fragmenting=0 change_ownership=1");
    }
}
