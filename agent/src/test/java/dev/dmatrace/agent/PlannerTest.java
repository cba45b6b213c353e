package dev.dmatrace.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlannerTest {

    @Test
    void fieldName_isTheKernelsSnakeCase() {
        assertThat(Planner.fieldName("dmaHandle")).isEqualTo("dma_handle");
        assertThat(Planner.fieldName("gfpMask")).isEqualTo("gfp_mask");
        assertThat(Planner.fieldName("order")).isEqualTo("order");
        assertThat(Planner.fieldName("basePfn")).isEqualTo("base_pfn");
    }

    @Test
    void fieldName_neverCollidesWithTheCommonHopFields() {
        assertThat(Planner.fieldName("depth")).isEqualTo("arg_depth");
        assertThat(Planner.fieldName("ret")).isEqualTo("arg_ret");
        assertThat(Planner.fieldName("hopId")).isEqualTo("arg_hopId");
    }

    @Test
    void category_isTheFirstDirectory_withKernelSubsystemsByTheirOwnName() {
        assertThat(Planner.area("mm/cma.c")).isEqualTo("mm");
        assertThat(Planner.area("kernel/dma/direct.c")).isEqualTo("dma");
        assertThat(Planner.area("drivers/base/dd.c")).isEqualTo("drivers");
    }

    @Test
    void tracepointSystem_isTheHeaderName() {
        assertThat(Planner.tracepointSystem("include/trace/events/cma.h")).isEqualTo("cma");
    }
}
