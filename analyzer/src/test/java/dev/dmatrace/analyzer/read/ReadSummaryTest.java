package dev.dmatrace.analyzer.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ReadSummaryTest {
    @Test
    void agentStats_iterateByName_whateverOrderTheyWereReadIn() {
        Map<String, Long> read = new LinkedHashMap<>();
        read.put("methodsInstrumented", 2L);
        read.put("hopsEmitted", 3L);
        read.put("errors", 0L);
        read.put("classesTransformed", 1L);

        ReadSummary s = new ReadSummary("r.jfr", 0, 1, 0, 0, 3, 1, "0.1.0", read, 0, List.of(), List.of());

        assertThat(List.copyOf(s.agentStats().keySet()))
                .containsExactly("classesTransformed", "errors", "hopsEmitted", "methodsInstrumented");
        assertThat(s.agentStats()).hasToString(
                "{classesTransformed=1, errors=0, hopsEmitted=3, methodsInstrumented=2}");
    }
}
