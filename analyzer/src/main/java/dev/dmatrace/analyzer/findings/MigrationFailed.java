package dev.dmatrace.analyzer.findings;

import java.util.function.Consumer;

import dev.dmatrace.analyzer.read.Hop;
import dev.dmatrace.analyzer.tree.Node;

/**
 * Pages in the range could not be migrated away: {@code migrate_pages} returned the number of pages it could not
 * move (or an errno), or the {@code mm_migrate_pages} tracepoint counted failed pages.
 */
public final class MigrationFailed implements Detector {
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
    public void inspect(TreeFacts facts, Consumer<Finding> out) {
        for (Node n : facts.nodes()) {
            if (n.synthetic()) {
                continue;
            }
            Hop h = n.hop();
            String msg = null;
            if (h.kind() == Hop.Kind.FN && Symbols.MIGRATE.contains(h.symbol()) && h.retNum(0) != 0) {
                long r = h.retNum(0);
                msg = r > 0 ? String.format("%s: %d page(s) not migrated", h.symbol(), r)
                        : String.format("%s returned %s", h.symbol(), Returns.errnoName((int) r));
            } else if (h.kind() == Hop.Kind.TP && h.symbol().equals(Symbols.TP_MIGRATE_PAGES)
                    && h.num("failed", 0) > 0 && !IsolationFailed.firedBy(n, "migrate_pages")) {
                msg = String.format("mm_migrate_pages: nr_succeeded=%d nr_failed=%d", h.num("succeeded", 0),
                        h.num("failed", 0));
            }
            if (msg != null) {
                Evidence.Builder ev = Evidence.builder().allocation(facts.allocationOf(n)).hop(n.id());
                if (Returns.errno(h) != 0 && h.kind() == Hop.Kind.FN) {
                    ev.errno(Returns.errno(h));
                }
                out.accept(finding(msg, ev.build(), facts));
            }
        }
    }
}
