package dev.dmatrace.kernel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The command line's exit codes and output. */
class KernelMainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return KernelMain.run(args, new PrintWriter(out), new PrintWriter(err));
    }

    @Test
    void demo_runsTheBuiltInScenario() {
        assertThat(run("demo")).isZero();
        assertThat(out.toString()).startsWith("scenario default (seed 1): ")
                .contains("device pool", "atomic pool", "-- /proc/meminfo", "result: as expected");
    }

    @Test
    void scenarios_listsTheBuiltInOneFirst() {
        assertThat(run("scenarios")).isZero();
        assertThat(out.toString()).startsWith("default  (built in) ");
    }

    @Test
    void sim_unknownScenario_exit2() {
        assertThat(run("sim", "no-such-scenario")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("dmatrace: no-such-scenario: no such file, and no shipped scenario of that name (see: dmatrace scenarios)"
                + System.lineSeparator());
    }

    @Test
    void boards_listsTheBuiltInBoards() {
        assertThat(run("boards")).isZero();
        assertThat(out.toString()).contains("virt-arm64", "oracle-arm64-512m", "vexpress-arm", "pc-x86_64");
    }

    @Test
    void proc_oneView_withProfile() {
        assertThat(run("proc", "--board", "pc-x86_64", "--profile", "6.1", "--view", "buddyinfo")).isZero();
        assertThat(out.toString()).startsWith("Node 0, zone      DMA ").contains("zone    DMA32", "zone   Normal");
    }

    @Test
    void badInput_exit2_oneLine_noStackTrace() {
        assertThat(run("proc", "--board", "nope")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("dmatrace: unknown board 'nope' (try: dmatrace boards)"
                + System.lineSeparator());
        err.getBuffer().setLength(0);
        assertThat(run("proc", "--profile", "3.18")).isEqualTo(2);
        assertThat(err.toString().lines()).hasSize(1);
        err.getBuffer().setLength(0);
        assertThat(run("proc", "--view", "slabinfo")).isEqualTo(2);
        assertThat(run("nosuchcommand")).isEqualTo(2);
        assertThat(err.toString()).doesNotContain("Exception");
    }
}
