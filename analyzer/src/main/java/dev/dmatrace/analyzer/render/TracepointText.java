package dev.dmatrace.analyzer.render;

import java.util.Map;

import dev.dmatrace.analyzer.read.Hop;

/**
 * A tracepoint hop as tracefs prints it: {@code event: fields} with the TP_printk format of the kernel
 * (kernel-reference §9), fields looked up by name, so the version is told by which fields the hop carries (e.g.
 * {@code cma_release} with {@code name} is 6.1, without it 4.4/5.10). {@code %p} of a {@code struct page *}
 * prints the x86-64 vmemmap address of the pfn (0xffffea0000000000 + pfn * 64, as with no_hash_pointers);
 * NULL (pfn -1) prints zeros. A tracepoint this class does not know prints its fields as {@code name=value}.
 */
public final class TracepointText {
    private static final long VMEMMAP = 0xffffea0000000000L;
    private static final String[] MIGRATE_MODE = {"MIGRATE_ASYNC", "MIGRATE_SYNC_LIGHT", "MIGRATE_SYNC"};
    private static final String[] MIGRATE_REASON = {"compaction", "memory_failure", "memory_hotplug",
        "syscall_or_cpuset", "mempolicy_mbind", "numa_misplaced", "contig_range", "longterm_pin", "demotion"};

    private TracepointText() {}

    public static String format(Hop h) {
        return h.symbol() + ": " + fields(h);
    }

    static String fields(Hop h) {
        return switch (h.symbol()) {
            case "cma_alloc_start" -> String.format("name=%s count=%d align=%d", s(h, "name"), n(h, "count"),
                    n(h, "align"));
            case "cma_alloc_finish" -> String.format("name=%s pfn=0x%x page=%s count=%d align=%d", s(h, "name"),
                    n(h, "pfn"), page(h), n(h, "count"), n(h, "align"))
                    + (h.has("errorno") ? " errorno=" + n(h, "errorno") : "");
            case "cma_alloc_busy_retry" -> String.format("name=%s pfn=0x%x page=%s count=%d align=%d",
                    s(h, "name"), n(h, "pfn"), page(h), n(h, "count"), n(h, "align"));
            case "cma_alloc" -> String.format("pfn=%x page=%s count=%d align=%d", n(h, "pfn"), page(h),
                    n(h, "count"), n(h, "align"));
            case "cma_release" -> h.has("name")
                    ? String.format("name=%s pfn=0x%x page=%s count=%d", s(h, "name"), n(h, "pfn"), page(h),
                            n(h, "count"))
                    : String.format("pfn=%x page=%s count=%d", n(h, "pfn"), page(h), n(h, "count"));
            case "mm_migrate_pages" -> h.has("thp_succeeded")
                    ? String.format("nr_succeeded=%d nr_failed=%d nr_thp_succeeded=%d nr_thp_failed=%d "
                            + "nr_thp_split=%d mode=%s reason=%s", n(h, "succeeded"), n(h, "failed"),
                            n(h, "thp_succeeded"), n(h, "thp_failed"), n(h, "thp_split"), mode(h), reason(h))
                    : String.format("nr_succeeded=%d nr_failed=%d mode=%s reason=%s", n(h, "succeeded"),
                            n(h, "failed"), mode(h), reason(h));
            case "mm_migrate_pages_start" -> String.format("mode=%s reason=%s", mode(h), reason(h));
            case "test_pages_isolated" -> String.format("start_pfn=0x%x end_pfn=0x%x fin_pfn=0x%x ret=%s",
                    n(h, "start_pfn"), n(h, "end_pfn"), n(h, "fin_pfn"),
                    n(h, "end_pfn") <= n(h, "fin_pfn") ? "success" : "fail");
            case "mm_page_alloc" -> String.format("page=%s pfn=0x%x order=%d migratetype=%d gfp_flags=%s", page(h),
                    n(h, "pfn"), n(h, "order"), n(h, "migratetype"), gfp(h, "gfp_flags"));
            case "mm_page_free" -> String.format("page=%s pfn=0x%x order=%d", page(h), n(h, "pfn"), n(h, "order"));
            case "mm_page_alloc_zone_locked" -> String.format(
                    "page=%s pfn=0x%x order=%d migratetype=%d percpu_refill=%d", page(h), n(h, "pfn"),
                    n(h, "order"), n(h, "migratetype"),
                    h.has("percpu_refill") ? n(h, "percpu_refill") : n(h, "order") == 0 ? 1 : 0);
            default -> generic(h.args());
        };
    }

    private static String generic(Map<String, Object> args) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : args.entrySet()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(e.getKey()).append('=').append(e.getValue());
        }
        return sb.toString();
    }

    private static long n(Hop h, String name) {
        return h.num(name, 0);
    }

    private static String s(Hop h, String name) {
        String v = h.str(name);
        return v == null ? "(null)" : v;
    }

    /** {@code %p} of the page: the hop's {@code page} field if numeric (a pfn), else its {@code pfn}. */
    private static String page(Hop h) {
        long pfn = h.num("page", h.num("pfn", -1));
        return pfn < 0 ? "0000000000000000" : String.format("%016x", VMEMMAP + pfn * 64);
    }

    private static String gfp(Hop h, String name) {
        String text = h.str(name + "_text");
        return text != null ? text : String.format("0x%x", n(h, name));
    }

    private static String mode(Hop h) {
        Object v = h.arg("mode");
        if (v instanceof Number m) {
            int i = m.intValue();
            return i >= 0 && i < MIGRATE_MODE.length ? MIGRATE_MODE[i] : Integer.toString(i);
        }
        return String.valueOf(v);
    }

    private static String reason(Hop h) {
        Object v = h.arg("reason");
        if (v instanceof Number r) {
            int i = r.intValue();
            return i >= 0 && i < MIGRATE_REASON.length ? MIGRATE_REASON[i] : Integer.toString(i);
        }
        return String.valueOf(v);
    }
}
