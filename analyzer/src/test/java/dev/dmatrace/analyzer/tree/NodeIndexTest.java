package dev.dmatrace.analyzer.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.dmatrace.analyzer.read.Hop;

class NodeIndexTest {
    @Test
    void behavesLikeAMap_underRandomPutsAndRemoves() {
        NodeIndex index = new NodeIndex();
        Map<Long, Node> model = new HashMap<>();
        Random r = new Random(7);
        for (int step = 0; step < 200_000; step++) {
            long id = 1 + r.nextInt(20_000);
            if (r.nextInt(3) == 0) {
                index.remove(id);
                model.remove(id);
            } else {
                Node n = new Node(new Hop(id, 0, id, 0, "f", Hop.Kind.FN, 1, "t", 0, 0, Map.of(), null, false));
                index.put(id, n);
                model.put(id, n);
            }
            if (step % 1000 == 0) {
                assertThat(index.size()).isEqualTo(model.size());
            }
        }
        for (long id = 1; id <= 20_000; id++) {
            assertThat(index.get(id)).as("id %d", id).isSameAs(model.get(id));
        }
    }
}
