package dev.dmatrace.analyzer.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.dmatrace.analyzer.read.Hop;

/** Each tracepoint prints exactly as tracefs does (kernel-reference §9), fields found by name. */
class TracepointTextTest {
    private static String text(String event, Object... kv) {
        Map<String, Object> args = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            args.put((String) kv[i], kv[i + 1]);
        }
        return TracepointText.format(new Hop(1, 0, 1, 0, event, Hop.Kind.TP, 1, "t", 0, 0, args, null, false));
    }

    @Test
    void cmaTracepoints_61() {
        assertThat(text("cma_alloc_start", "name", "reserved", "count", 2048L, "align", 8))
                .isEqualTo("cma_alloc_start: name=reserved count=2048 align=8");
        assertThat(text("cma_alloc_finish", "name", "reserved", "pfn", 0x40000L, "page", 0x40000L, "count", 2048L,
                "align", 8))
                .isEqualTo("cma_alloc_finish: name=reserved pfn=0x40000 page=ffffea0001000000 count=2048 align=8");
        assertThat(text("cma_alloc_finish", "name", "reserved", "pfn", 0x40000L, "page", -1L, "count", 2048L,
                "align", 8, "errorno", -16))
                .isEqualTo("cma_alloc_finish: name=reserved pfn=0x40000 page=0000000000000000 count=2048 align=8"
                        + " errorno=-16");
        assertThat(text("cma_alloc_busy_retry", "name", "reserved", "pfn", 0x40100L, "page", 0x40100L, "count", 16L,
                "align", 4))
                .isEqualTo("cma_alloc_busy_retry: name=reserved pfn=0x40100 page=ffffea0001004000 count=16 align=4");
        assertThat(text("cma_release", "name", "reserved", "pfn", 0x40000L, "page", 0x40000L, "count", 16L))
                .isEqualTo("cma_release: name=reserved pfn=0x40000 page=ffffea0001000000 count=16");
    }

    @Test
    void cmaTracepoints_44_510_haveNoNameAndPrintPfnWithout0x() {
        assertThat(text("cma_alloc", "pfn", 0x40000L, "page", 0x40000L, "count", 16, "align", 4))
                .isEqualTo("cma_alloc: pfn=40000 page=ffffea0001000000 count=16 align=4");
        assertThat(text("cma_release", "pfn", 0x40000L, "page", 0x40000L, "count", 16))
                .isEqualTo("cma_release: pfn=40000 page=ffffea0001000000 count=16");
    }

    @Test
    void migrateAndIsolationTracepoints() {
        assertThat(text("mm_migrate_pages", "succeeded", 29L, "failed", 3L, "thp_succeeded", 0L, "thp_failed", 0L,
                "thp_split", 0L, "mode", 2, "reason", 6))
                .isEqualTo("mm_migrate_pages: nr_succeeded=29 nr_failed=3 nr_thp_succeeded=0 nr_thp_failed=0 "
                        + "nr_thp_split=0 mode=MIGRATE_SYNC reason=contig_range");
        assertThat(text("mm_migrate_pages", "succeeded", 32L, "failed", 0L, "mode", "MIGRATE_SYNC", "reason", "cma"))
                .isEqualTo("mm_migrate_pages: nr_succeeded=32 nr_failed=0 mode=MIGRATE_SYNC reason=cma");
        assertThat(text("test_pages_isolated", "start_pfn", 0x40000L, "end_pfn", 0x40200L, "fin_pfn", 0x40003L))
                .isEqualTo("test_pages_isolated: start_pfn=0x40000 end_pfn=0x40200 fin_pfn=0x40003 ret=fail");
        assertThat(text("test_pages_isolated", "start_pfn", 0x40000L, "end_pfn", 0x40200L, "fin_pfn", 0x40200L))
                .endsWith("ret=success");
    }

    @Test
    void pageAllocatorTracepoints_61() {
        assertThat(text("mm_page_alloc", "pfn", 0x1234L, "order", 0, "gfp_flags", 0xcc0, "gfp_flags_text",
                "GFP_KERNEL", "migratetype", 0))
                .isEqualTo("mm_page_alloc: page=ffffea0000048d00 pfn=0x1234 order=0 migratetype=0 "
                        + "gfp_flags=GFP_KERNEL");
        assertThat(text("mm_page_free", "pfn", 0x1234L, "order", 3))
                .isEqualTo("mm_page_free: page=ffffea0000048d00 pfn=0x1234 order=3");
    }

    @Test
    void unknownTracepoint_printsItsFieldsByName() {
        assertThat(text("dma_alloc", "device", "vpu", "size", 4096L)).isEqualTo("dma_alloc: device=vpu size=4096");
    }
}
