package dev.dmatrace.analyzer.render.report;

import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import dev.dmatrace.analyzer.render.flame.Outcome;
import dev.dmatrace.analyzer.tree.Node;

/**
 * speedscope's file format (src/lib/file-format-spec.ts): one evented profile per thread, an O and a C event per
 * call, frames named like the folded stacks' (with outcome annotations). Opens in speedscope.app.
 */
public final class Speedscope {
    private Speedscope() {}

    public static void write(String name, RecordingViews views, OutputStream os) throws IOException {
        long t0 = Slices.origin(views);
        Map<String, Integer> frameIndex = new HashMap<>();
        try (JsonGenerator g = new JsonFactory().createGenerator(os)) {
            g.writeStartObject();
            g.writeStringField("$schema", "https://www.speedscope.app/file-format-schema.json");
            g.writeStringField("name", name);
            g.writeStringField("exporter", "dmatrace");
            g.writeNumberField("activeProfileIndex", 0);
            g.writeArrayFieldStart("profiles");
            for (Map.Entry<String, List<RecordingViews.TreeOutcome>> e : views.byThread().entrySet()) {
                writeProfile(g, e.getKey(), e.getValue(), t0, frameIndex);
            }
            g.writeEndArray();
            String[] frames = new String[frameIndex.size()];
            frameIndex.forEach((k, i) -> frames[i] = k);
            g.writeObjectFieldStart("shared");
            g.writeArrayFieldStart("frames");
            for (String f : frames) {
                g.writeStartObject();
                g.writeStringField("name", f);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    private static void writeProfile(JsonGenerator g, String thread, List<RecordingViews.TreeOutcome> trees, long t0,
                                     Map<String, Integer> frameIndex) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "evented");
        g.writeStringField("name", thread);
        g.writeStringField("unit", "nanoseconds");
        long[] span = {Long.MAX_VALUE, 0};
        g.writeArrayFieldStart("events");
        Map<Long, Outcome> outcomes = new HashMap<>();
        trees.forEach(t -> outcomes.putAll(t.outcomes()));
        Slices.walk(trees, t0, new Slices.Visitor() {
            @Override
            public void open(Node n, long start, long end) {
                span[0] = Math.min(span[0], start);
                event("O", frameIndex.computeIfAbsent(Labels.of(n, outcomes), k -> frameIndex.size()), start);
            }

            @Override
            public void close(Node n, long end) {
                span[1] = Math.max(span[1], end);
                event("C", frameIndex.get(Labels.of(n, outcomes)), end);
            }

            @Override
            public void instant(Node tp, long at) {
                // speedscope has no instants; the tracepoint's story is in the outcome annotations
            }

            private void event(String type, int frame, long at) {
                try {
                    g.writeStartObject();
                    g.writeStringField("type", type);
                    g.writeNumberField("frame", frame);
                    g.writeNumberField("at", at);
                    g.writeEndObject();
                } catch (IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            }
        });
        g.writeEndArray();
        g.writeNumberField("startValue", span[0] == Long.MAX_VALUE ? 0 : span[0]);
        g.writeNumberField("endValue", span[1]);
        g.writeEndObject();
    }
}
