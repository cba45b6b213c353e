package dev.dmatrace.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/** The dmatrace events of a recording, read with the same consumer API the analyzer uses. */
record Recorded(List<RecordedEvent> events) {

    static Recorded read(Path jfr) throws IOException {
        return new Recorded(RecordingFile.readAllEvents(jfr).stream()
                .filter(e -> e.getEventType().getName().startsWith("dmatrace."))
                .collect(Collectors.toList()));
    }

    List<RecordedEvent> named(String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).collect(Collectors.toList());
    }

    List<RecordedEvent> hops() {
        return events.stream().filter(e -> e.getEventType().getName().startsWith("dmatrace.fn.")
                || e.getEventType().getName().startsWith("dmatrace.tp.")).collect(Collectors.toList());
    }

    RecordedEvent lastStats() {
        return named("dmatrace.AgentStats").stream()
                .max(Comparator.comparing(RecordedEvent::getStartTime).thenComparing(e -> e.getLong("hopsEmitted")))
                .orElseThrow();
    }
}
