package dev.dmatrace.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.dmatrace.analyzer.findings.FindingSummary;

/**
 * {@code dmatrace run SCENARIO --out DIR}: the scenario simulated in a forked JVM with the agent, then analysed
 * and rendered. The jars are the ones the reactor built ({@code -Ddmatrace.kernel.jar}, {@code -Ddmatrace.agent.jar}
 * from sample-traces/pom.xml).
 */
class RunCommandTest {
    static final String SCENARIO = "oracle-p3-exhaust-6.1";
    static final List<String> FILES = List.of("recording.jfr", "outcome.txt", "summary.txt", "analysis.json",
            "report.html", "flame.html", "stacks.folded", "speedscope.json", "trace.json");

    @TempDir
    static Path tmp;

    @Test
    void writesAllNineFiles_noneEmpty() {
        Path dir = Recordings.run(SCENARIO);
        assertThat(FILES).allSatisfy(f -> assertThat(dir.resolve(f)).isNotEmptyFile());
    }

    /** sim --record reads /proc/buddyinfo (frag_show) at the start and end of the workload: the report charts both. */
    @Test
    void reportHtml_carriesBuddyinfoBeforeAndAfter() throws IOException {
        String html = Files.readString(Recordings.run(SCENARIO).resolve("report.html"), StandardCharsets.UTF_8);
        String data = html.substring(html.indexOf("id=\"report-data\">") + "id=\"report-data\">".length());
        JsonNode buddy = new ObjectMapper().readTree(data.substring(0, data.indexOf("</script>"))).path("buddyinfo");
        assertThat(buddy.path("zones").size()).isPositive();
        JsonNode zone = buddy.path("zones").path(0);
        assertThat(zone.path("before").size()).isEqualTo(11);
        assertThat(zone.path("after").size()).isEqualTo(11);
        assertThat(zone.path("before")).isNotEqualTo(zone.path("after"));
    }

    @Test
    void outcomeTxt_isWhatSimPrints_forTheScenario() throws IOException {
        Path dir = Recordings.run(SCENARIO);
        Recordings.Forked sim = Recordings.java(List.of("-jar", Recordings.KERNEL_JAR.toString(), "sim",
                Recordings.scenario(SCENARIO).toString(), "--seed", "1"));
        assertThat(sim.exitCode()).isZero();
        String outcome = Files.readString(dir.resolve("outcome.txt"), StandardCharsets.UTF_8);
        assertThat(outcome).isEqualTo(sim.stdout()).contains("result: as expected");
    }

    @Test
    void analysisJson_parses_andListsTheFindingsOfTheRecording() throws IOException {
        Path dir = Recordings.run(SCENARIO);
        JsonNode json = new ObjectMapper().readTree(dir.resolve("analysis.json").toFile());
        JsonNode rec = json.path("recordings").path(0);
        assertThat(rec.isObject()).as("recordings[0] of analysis.json").isTrue();
        Map<String, Long> counts = new HashMap<>();
        rec.path("findings").forEach(f -> counts.put(f.path("id").asText(), f.path("count").asLong()));
        assertThat(counts).containsEntry("ALLOC_FAILED", 1L).containsEntry("BUDDY_FALLBACK", 1L)
                .containsEntry("CMA_NO_SPACE", 2L).containsEntry("DMA_LEAK", 5L);
        // the same findings as the analyzer's API gives for another recording of the same scenario
        Map<String, Long> api = new HashMap<>();
        for (FindingSummary f : Recordings.analysis(SCENARIO).findings()) {
            api.put(f.id(), f.count());
        }
        assertThat(counts).isEqualTo(api);
        rec.path("findings").forEach(f -> assertThat(f.path("occurrences")).isNotEmpty());
        assertThat(rec.path("allocations").asLong()).isEqualTo(7);
        assertThat(rec.path("failedAllocations").asLong()).isEqualTo(1);
    }

    @Test
    void aBadScenarioFile_exitCode2_andOneClearLine() throws IOException {
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, """
                description: a device that is not declared
                seed: 1
                board: {base: virt-arm64}
                workload:
                  - alloc: {device: nope, size: 4K}
                """);
        Recordings.Forked run = Recordings.java(List.of("-Ddmatrace.kernel.jar=" + Recordings.KERNEL_JAR,
                "-Ddmatrace.agent.jar=" + Recordings.AGENT_JAR, "-jar", System.getProperty("dmatrace.analyzer.jar"),
                "run", bad.toString(), "--out", tmp.resolve("bad-out").toString()));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr().lines().filter(l -> !l.isBlank()).toList()).singleElement()
                .satisfies(l -> assertThat(l).startsWith("dmatrace: ").contains("bad.yaml:5")
                        .contains("unknown device 'nope'"));
        assertThat(run.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void twoRunsWithTheSameSeed_identicalOutcome_andIdenticalFoldedStacksByCalls() throws IOException {
        Path first = Recordings.run(SCENARIO);
        Path second = tmp.resolve("second");
        assertThat(Recordings.runCommand(SCENARIO, second)).isZero();
        for (String f : List.of("outcome.txt", "stacks.folded")) {
            assertThat(Files.readString(second.resolve(f), StandardCharsets.UTF_8)).as(f)
                    .isEqualTo(Files.readString(first.resolve(f), StandardCharsets.UTF_8));
        }
    }
}
