package dev.dmatrace.kernel.sim;

import dev.dmatrace.kernel.boot.Board;
import dev.dmatrace.kernel.boot.Kernel;
import java.util.ArrayList;
import java.util.List;

/** The deterministic text of a run: header, workload notes, the operation table, the kernel log, the checkpoints. */
final class Report {

    private static final String[] HEADINGS = {"#", "cpu", "task", "device", "op", "buffer", "size", "gfp", "from",
        "dma address", "migrated", "busy", "start us", "took us", "result"};
    /** Columns written flush right: numbers. */
    private static final boolean[] RIGHT = {true, true, false, false, false, false, true, false, false, false, true,
        true, true, true, false};

    private Report() {
    }

    static String render(Scenario s, long seed, Kernel k, List<String> notes, List<Row> rows, long endNs,
            List<String> log, String checkpoints, List<String> violations) {
        StringBuilder sb = new StringBuilder();
        Board b = k.machine().board();
        sb.append("scenario ").append(s.name()).append(" (seed ").append(seed).append("): ")
                .append(s.description()).append('\n');
        sb.append(String.format("board %s: %s, kernel %s, %d cpus, %d MiB RAM", b.name(), b.arch().id(),
                b.profile().version(), b.cpus(), b.ramBytes() >> 20));
        sb.append(s.boot().cmdline() == null ? "" : ", cmdline \"" + s.boot().cmdline() + "\"");
        sb.append(s.boot().dt() == null ? "" : ", with a devicetree").append('\n');
        sb.append('\n');
        for (String n : notes) {
            sb.append(n).append('\n');
        }
        if (!notes.isEmpty()) {
            sb.append('\n');
        }
        table(sb, rows);
        long unexpected = rows.stream().filter(Row::unexpected).count();
        sb.append(String.format("%n%d operations, %s us of simulated time (cost model: docs/scenarios.md)%n",
                rows.size(), Sizes.micros(endNs)));
        sb.append("\n== kernel log since boot\n");
        log.forEach(l -> sb.append(l).append('\n'));
        if (log.isEmpty()) {
            sb.append("(nothing)\n");
        }
        sb.append('\n').append(checkpoints);
        if (!violations.isEmpty()) {
            sb.append("memory state inconsistent: ").append(violations.get(0)).append('\n');
        }
        sb.append(unexpected == 0 && violations.isEmpty() ? "result: as expected\n"
                : "result: FAILED: " + unexpected + " operation(s) did not do what the scenario expected"
                        + (violations.isEmpty() ? "" : ", " + violations.size() + " invariant violation(s)") + "\n");
        return sb.toString();
    }

    private static void table(StringBuilder sb, List<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(HEADINGS);
        for (Row r : rows) {
            cells.add(new String[] {Integer.toString(r.seq()), Integer.toString(r.cpu()), r.task(), r.device(),
                r.op(), r.buffer(), r.size() < 0 ? "-" : Sizes.of(r.size()), r.gfp(), r.from(), r.dma(),
                Long.toString(r.migrated()), Long.toString(r.retries()), Sizes.micros(r.startNs()),
                Sizes.micros(r.tookNs()), r.result()});
        }
        int[] width = new int[HEADINGS.length];
        for (String[] c : cells) {
            for (int i = 0; i < c.length; i++) {
                width[i] = Math.max(width[i], c[i].length());
            }
        }
        for (String[] c : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < c.length; i++) {
                String pad = " ".repeat(width[i] - c[i].length());
                line.append(i == 0 ? "" : "  ").append(RIGHT[i] ? pad + c[i] : i == c.length - 1 ? c[i] : c[i] + pad);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
