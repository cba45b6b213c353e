package dev.dmatrace.kernel.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The built-in scenario shows every path it promises, in its operation table. */
class DefaultScenarioTest {

    private static List<String> rows;
    private static Simulation.Result result;

    @BeforeAll
    static void run() throws ScenarioException {
        result = Simulation.run(Scenarios.builtIn(), null, null, false);
        rows = result.output().lines().filter(l -> l.matches(" *\\d+ +\\d+ +\\S+/\\d+ .*")).toList();
    }

    @Test
    void runsAsExpected() {
        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).endsWith("result: as expected\n");
    }

    @Test
    void devicePoolHit() {
        assertThat(rows).anyMatch(r -> r.contains(" alloc ") && r.contains("device pool") && r.contains(" ok"));
    }

    @Test
    void cmaAllocationThatMigratedPages() {
        assertThat(rows).anyMatch(r -> r.contains("CMA reserved") && column(r, "migrated") > 0);
    }

    @Test
    void busyRetry_onTheLongTermPins() {
        assertThat(result.output()).contains("long-term pins (FOLL_LONGTERM) in CMA area reserved");
        assertThat(rows).anyMatch(r -> column(r, "busy") > 0 && r.contains(" ok"));
    }

    @Test
    void fallbackToBuddy_afterCmaFailed() {
        assertThat(rows).anyMatch(r -> r.contains("buddy DMA") && column(r, "busy") > 0);
        assertThat(result.output()).contains("cma: cma_alloc: reserved: alloc failed");
    }

    @Test
    void atomicAllocation() {
        assertThat(rows).anyMatch(r -> r.contains("GFP_ATOMIC") && r.contains("atomic pool"));
    }

    @Test
    void failed200MiBRequest() {
        assertThat(rows).anyMatch(r -> r.contains("200 MiB") && r.contains("NULL (expected)"));
    }

    @Test
    void twoCpusAsTwoTasks() {
        assertThat(rows).anyMatch(r -> r.contains("cam-isr/200")).anyMatch(r -> r.contains("v4l2-worker/201"));
    }

    /** The value of a numeric column, found by the heading's position in the table. */
    private static long column(String row, String heading) {
        String head = result.output().lines().filter(l -> l.contains(" dma address ")).findFirst().orElseThrow();
        int end = head.indexOf(heading) + heading.length();
        String cell = row.substring(0, end).replaceAll(".* ", "");
        return Long.parseLong(cell);
    }
}
