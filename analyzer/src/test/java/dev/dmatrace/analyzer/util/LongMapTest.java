package dev.dmatrace.analyzer.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;


class LongMapTest {
    @Test
    void behavesLikeAMap_underRandomPutsAndRemoves() {
        LongMap<String> index = new LongMap<>();
        Map<Long, String> model = new HashMap<>();
        Random r = new Random(7);
        for (int step = 0; step < 200_000; step++) {
            long id = r.nextInt(20_000); // 0 included: kept apart from the empty-slot marker
            if (r.nextInt(3) == 0) {
                index.remove(id);
                model.remove(id);
            } else {
                String n = "v" + step;
                index.put(id, n);
                model.put(id, n);
            }
            if (step % 1000 == 0) {
                assertThat(index.size()).isEqualTo(model.size());
            }
        }
        for (long id = 0; id < 20_000; id++) {
            assertThat(index.get(id)).as("id %d", id).isSameAs(model.get(id));
            assertThat(index.containsKey(id)).isEqualTo(model.containsKey(id));
        }
    }
}
