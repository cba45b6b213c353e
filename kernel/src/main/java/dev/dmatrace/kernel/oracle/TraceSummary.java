package dev.dmatrace.kernel.oracle;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reduces tracefs text lines the way the oracle's summarize.sh reduces a real log to its {@code EV} lines: keep
 * the cma/migrate/isolation/extfrag/dma events, drop everything before the event name and the hashed
 * {@code page=} pointers, fold consecutive mm_migrate_pages lines into one summed line.
 */
public final class TraceSummary {

    private static final Pattern EVENT = Pattern.compile(
            ": (cma_alloc_start|cma_alloc_finish|cma_alloc_busy_retry|cma_release|test_pages_isolated"
                    + "|mm_migrate_pages|mm_page_alloc_extfrag|dma_alloc|dma_free): (.*)$");
    private static final Pattern SUCC = Pattern.compile("nr_succeeded=(\\d+)");
    private static final Pattern FAIL = Pattern.compile("nr_failed=(\\d+)");

    private TraceSummary() {
    }

    public static List<String> ev(List<String> traceLines) {
        List<String> out = new ArrayList<>();
        long batches = 0;
        long succ = 0;
        long fail = 0;
        for (String raw : traceLines) {
            Matcher m = EVENT.matcher(raw);
            if (!m.find()) {
                continue;
            }
            String event = m.group(1);
            String line = (event + ": " + m.group(2)).replaceAll(" (page|virt_addr)=([0-9a-f]+|\\(____ptrval____\\))",
                    "");
            if (event.equals("mm_migrate_pages")) {
                batches++;
                succ += number(SUCC, line);
                fail += number(FAIL, line);
                continue;
            }
            if (batches > 0) {
                out.add(folded(batches, succ, fail));
                batches = succ = fail = 0;
            }
            out.add(line);
        }
        if (batches > 0) {
            out.add(folded(batches, succ, fail));
        }
        return out;
    }

    private static String folded(long batches, long succ, long fail) {
        return "mm_migrate_pages(sum of " + batches + " batches): nr_succeeded=" + succ + " nr_failed=" + fail;
    }

    private static long number(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
