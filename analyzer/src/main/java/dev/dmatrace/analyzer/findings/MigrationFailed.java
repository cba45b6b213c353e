package dev.dmatrace.analyzer.findings;

import dev.dmatrace.analyzer.findings.Symbols.Role;
import dev.dmatrace.analyzer.read.Hop;
import dev.dmatrace.analyzer.tree.Node;

/**
 * Pages in the range could not be migrated away. One finding per failed attempt: the outermost failing call
 * ({@code __alloc_contig_migrate_range}, else {@code migrate_pages}, else the {@code mm_migrate_pages} tracepoint
 * of a kernel without function hops), with the pages {@code unmap_and_move} gave up on beneath it and how many
 * {@code migrate_pages} passes were made.
 */
public final class MigrationFailed implements Detector {
    /** At most this many pfns are listed in a finding's evidence. */
    static final int MAX_PFNS = 16;

    @Override
    public String id() {
        return "MIGRATION_FAILED";
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    @Override
    public String explanation() {
        return "migrate_pages() could not move pages out of the range (pinned or with extra references), so "
                + "alloc_contig_range() ended with -EBUSY for that range";
    }

    @Override
    public void inspect(TreeFacts facts, Occurrences out) {
        if (!facts.any(Role.MIGRATE | Role.TP_MIGRATE_PAGES)) {
            return;
        }
        for (Node n : facts.nodes()) {
            if (!n.synthetic() && failed(n) && !underFailed(n)) {
                out.add(() -> report(facts, n));
            }
        }
    }

    private Finding report(TreeFacts facts, Node n) {
        Hop h = n.hop();
        java.util.TreeSet<Long> pfns = new java.util.TreeSet<>();
        java.util.Map<Long, Integer> tries = new java.util.HashMap<>();
        int[] passes = {Symbols.is(h, Role.MIGRATE_PAGES) ? 1 : 0};
        n.walk(d -> {
            if (d == n || d.synthetic()) {
                return;
            }
            if (Symbols.is(d, Role.MIGRATE_PAGES) && d.hop().kind() == Hop.Kind.FN) {
                passes[0]++;
            } else if (Symbols.is(d, Role.UNMAP_AND_MOVE) && d.hop().has("page")) {
                long pfn = d.hop().num("page", 0);
                tries.merge(pfn, 1, Integer::sum);
                if (d.hop().retNum(0) != 0) {
                    pfns.add(pfn);
                }
            }
        });
        StringBuilder msg = new StringBuilder();
        if (h.kind() == Hop.Kind.TP) {
            msg.append("mm_migrate_pages: nr_succeeded=").append(h.num("succeeded", 0)).append(" nr_failed=")
                    .append(h.num("failed", 0));
        } else {
            long r = h.retNum(0);
            msg.append(h.symbol()).append(r > 0 ? ": " + r + " page(s) not migrated" : " returned "
                    + Returns.errnoName((int) r));
            if (!pfns.isEmpty()) {
                int most = pfns.stream().mapToInt(tries::get).max().orElse(0);
                msg.append("; ").append(pfns.size()).append(" page(s) would not move (tried up to ")
                        .append(most).append(" times each)");
            }
            if (passes[0] > 0) {
                msg.append(" after ").append(passes[0]).append(" migrate_pages() call(s)");
            }
        }
        Evidence.Builder ev = Evidence.builder().allocation(facts.allocationOf(n)).hop(n.id());
        if (h.kind() == Hop.Kind.FN && Returns.errno(h) != 0) {
            ev.errno(Returns.errno(h));
        }
        int listed = 0;
        for (long pfn : pfns) {
            if (listed++ == MAX_PFNS) {
                break;
            }
            ev.pfnRange(pfn, pfn + 1);
        }
        return finding(msg.toString(), ev.build(), facts);
    }

    /** A migration call (or the tracepoint's count) that reports failure. */
    private static boolean failed(Node n) {
        Hop h = n.hop();
        if (h.kind() == Hop.Kind.FN) {
            return Symbols.is(h, Role.MIGRATE) && h.retNum(0) != 0;
        }
        return Symbols.is(h, Role.TP_MIGRATE_PAGES) && h.num("failed", 0) > 0;
    }

    /** Whether a failing migration call encloses {@code n}: that call's finding covers it. */
    private static boolean underFailed(Node n) {
        for (Node p = n.parent(); p != null; p = p.parent()) {
            if (!p.synthetic() && p.hop().kind() == Hop.Kind.FN && failed(p)) {
                return true;
            }
        }
        return false;
    }
}
