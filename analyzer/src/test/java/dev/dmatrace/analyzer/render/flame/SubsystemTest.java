package dev.dmatrace.analyzer.render.flame;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The colour groups follow the kernel's files: kernel/dma, mm/cma.c, mm/page_isolation.c, mm/migrate.c, buddy. */
class SubsystemTest {
    @Test
    void kernelFunctions_landInTheirFilesSubsystem() {
        assertThat(Subsystem.of("dma_alloc_coherent")).isEqualTo(Subsystem.DMA);
        assertThat(Subsystem.of("__dma_direct_alloc_pages")).isEqualTo(Subsystem.DMA);
        assertThat(Subsystem.of("dma_alloc_from_pool")).isEqualTo(Subsystem.DMA);
        assertThat(Subsystem.of("dma_alloc_contiguous")).isEqualTo(Subsystem.CMA);
        assertThat(Subsystem.of("cma_alloc")).isEqualTo(Subsystem.CMA);
        assertThat(Subsystem.of("alloc_contig_range")).isEqualTo(Subsystem.CMA);
        assertThat(Subsystem.of("start_isolate_page_range")).isEqualTo(Subsystem.ISOLATION);
        assertThat(Subsystem.of("test_pages_isolated")).isEqualTo(Subsystem.ISOLATION);
        assertThat(Subsystem.of("migrate_pages")).isEqualTo(Subsystem.MIGRATION);
        assertThat(Subsystem.of("__alloc_contig_migrate_range")).isEqualTo(Subsystem.MIGRATION);
        assertThat(Subsystem.of("__alloc_pages")).isEqualTo(Subsystem.BUDDY);
        assertThat(Subsystem.of("__dma_alloc_buffer")).isEqualTo(Subsystem.BUDDY);
        assertThat(Subsystem.of("rmqueue")).isEqualTo(Subsystem.BUDDY);
        assertThat(Subsystem.of("kmalloc")).isEqualTo(Subsystem.OTHER);
    }
}
