package dev.dmatrace.analyzer.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.dmatrace.analyzer.read.Hop;

class TreeAssemblerTest {
    private static Hop hop(long id, long parent, long root, int depth, String symbol, long start) {
        return new Hop(id, parent, root, depth, symbol, Hop.Kind.FN, 1, "main", start, 10, Map.of(), null, false);
    }

    @Test
    void childrenCommittedBeforeParent_areAdoptedInStartOrder() {
        List<CallTree> trees = new ArrayList<>();
        TreeAssembler a = new TreeAssembler(trees::add);
        // post-order commit: the later child first, the root last
        a.accept(hop(3, 1, 1, 1, "alloc_pages_node", 300));
        a.accept(hop(2, 1, 1, 1, "dma_alloc_contiguous", 200));
        assertThat(trees).isEmpty();
        a.accept(hop(1, 0, 1, 0, "dma_alloc_coherent", 100));
        assertThat(trees).as("handed on at the chunk's end").isEmpty();
        a.chunkEnd();

        assertThat(trees).hasSize(1);
        CallTree t = trees.get(0);
        assertThat(t.complete()).isTrue();
        assertThat(t.hops()).isEqualTo(3);
        assertThat(t.root().children()).extracting(Node::symbol)
                .containsExactly("dma_alloc_contiguous", "alloc_pages_node");
        assertThat(t.root().children()).allMatch(c -> c.parent() == t.root());
        assertThat(a.unfinishedTrees()).isZero();
    }

    @Test
    void childReadAfterItsRoot_inTheSameChunk_isStillAdopted() {
        // JFR does not write a thread's events in commit order: a child can follow its root in the file
        List<CallTree> trees = new ArrayList<>();
        TreeAssembler a = new TreeAssembler(trees::add);
        a.accept(hop(1, 0, 1, 0, "dma_alloc_coherent", 100));
        a.accept(hop(2, 1, 1, 1, "dma_alloc_attrs", 110));
        a.accept(hop(4, 3, 1, 3, "cma_alloc", 130));
        a.accept(hop(3, 2, 1, 2, "dma_alloc_contiguous", 120));
        a.chunkEnd();
        a.finish();

        assertThat(trees).hasSize(1);
        assertThat(trees.get(0).complete()).isTrue();
        assertThat(trees.get(0).hops()).isEqualTo(4);
        assertThat(trees.get(0).root().find(n -> n.symbol().equals("cma_alloc")).get(0).parent().id())
                .isEqualTo(3);
    }

    @Test
    void tooManyHeldHops_handsReadyTreesOnEarly_andALaterChildBecomesUnfinished() {
        List<CallTree> trees = new ArrayList<>();
        TreeAssembler a = new TreeAssembler(trees::add, 4);
        a.accept(hop(1, 0, 1, 0, "dma_alloc_coherent", 100));
        a.accept(hop(11, 0, 11, 0, "dma_alloc_coherent", 200));
        a.accept(hop(12, 11, 11, 1, "dma_alloc_attrs", 210));
        a.accept(hop(13, 11, 11, 1, "dma_free_coherent", 220));
        a.accept(hop(14, 11, 11, 1, "dma_free_attrs", 230));
        assertThat(trees).as("held more than 4 hops").isNotEmpty();
        a.accept(hop(2, 1, 1, 1, "dma_alloc_attrs", 110)); // its root was handed on already
        a.finish();

        assertThat(a.completeTrees()).isEqualTo(2);
        assertThat(a.unfinishedTrees()).isEqualTo(1);
        assertThat(a.unfinishedHops()).isEqualTo(1);
    }

    @Test
    void hopsWhoseCallerNeverArrived_areKeptUnderSyntheticNodes() {
        List<CallTree> trees = new ArrayList<>();
        TreeAssembler a = new TreeAssembler(trees::add);
        a.accept(hop(12, 11, 10, 2, "alloc_contig_range", 5)); // caller 11 and root 10 lost
        a.accept(hop(13, 10, 10, 1, "cma_alloc", 1));          // root 10 lost
        a.accept(hop(21, 0, 21, 0, "dma_free_coherent", 50));  // an unrelated complete tree
        a.finish();

        assertThat(trees).hasSize(2);
        assertThat(a.completeTrees()).isEqualTo(1);
        assertThat(a.unfinishedTrees()).isEqualTo(1);
        assertThat(a.unfinishedHops()).isEqualTo(2);
        CallTree u = trees.stream().filter(t -> !t.complete()).findFirst().orElseThrow();
        assertThat(u.root().synthetic()).isTrue();
        assertThat(u.root().id()).isEqualTo(10);
        assertThat(u.hops()).isEqualTo(2);
        Node caller = u.root().children().stream().filter(Node::synthetic).findFirst().orElseThrow();
        assertThat(caller.id()).isEqualTo(11);
        assertThat(caller.children()).extracting(Node::symbol).containsExactly("alloc_contig_range");
    }
}
