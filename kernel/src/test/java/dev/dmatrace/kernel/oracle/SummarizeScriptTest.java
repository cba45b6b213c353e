package dev.dmatrace.kernel.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The simulated trace buffer, written out as a log, goes through the oracle's own summarize.sh and gives the same
 * EV lines as {@link TraceSummary}. Needs ../shared (present in CI, not in a user's clone): skipped without it.
 */
class SummarizeScriptTest {

    private static final Path SCRIPT = Path.of("../../shared/oracle/summarize.sh");

    @ParameterizedTest
    @ValueSource(strings = {"p7-pinned-6.1", "p5-small-6.12"})
    void simulatedLog_throughRealSummarizeSh_sameEvLines(String name) throws Exception {
        assumeTrue(Files.isReadable(SCRIPT), "no ../shared/oracle/summarize.sh");
        Path dir = Oracle.allCases().stream().filter(d -> d.getFileName().toString().equals(name)).findFirst()
                .orElseThrow();
        OracleRun r = new OracleRun(OracleCase.load(dir)).run();
        List<String> trace = r.kernel().machine().tracing().lines();
        Path log = Files.createTempFile("sim-trace", ".txt");
        try {
            Files.write(log, trace);
            Process p = new ProcessBuilder("bash", SCRIPT.toString(), log.toString()).redirectErrorStream(true)
                    .start();
            List<String> out = new String(p.getInputStream().readAllBytes()).lines().toList();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            List<String> ev = out.stream().filter(l -> l.startsWith("EV ")).map(l -> l.substring(3)).toList();
            assertThat(ev).isNotEmpty().containsExactlyElementsOf(TraceSummary.ev(trace));
        } finally {
            Files.delete(log);
        }
    }
}
