package dev.dmatrace.analyzer.render.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import dev.dmatrace.analyzer.read.Hop;
import dev.dmatrace.analyzer.render.flame.Outcome;
import dev.dmatrace.analyzer.render.flame.Subsystem;
import dev.dmatrace.analyzer.tree.Node;

/**
 * Chrome's trace-event JSON, which ui.perfetto.dev and chrome://tracing open: one track per thread named by an
 * {@code M thread_name} event, one {@code X} slice per call (strictly nested, see {@link Slices}) carrying the
 * hop's arguments, result and outcome, and tracepoints as thread-scoped instants. Times are µs with ns digits.
 */
public final class TraceEvents {
    private static final int PID = 1;

    private TraceEvents() {}

    public static void write(String name, RecordingViews views, OutputStream os) throws IOException {
        long t0 = Slices.origin(views);
        try (JsonGenerator g = new JsonFactory().createGenerator(os)) {
            g.writeStartObject();
            g.writeStringField("displayTimeUnit", "ns");
            g.writeObjectFieldStart("otherData");
            g.writeStringField("recording", name);
            g.writeStringField("exporter", "dmatrace");
            g.writeEndObject();
            g.writeArrayFieldStart("traceEvents");
            metadata(g, "process_name", 0, "dmatrace " + name);
            int tid = 0;
            for (Map.Entry<String, List<RecordingViews.TreeOutcome>> e : views.byThread().entrySet()) {
                tid++;
                metadata(g, "thread_name", tid, e.getKey());
                Map<Long, Outcome> outcomes = new HashMap<>();
                e.getValue().forEach(t -> outcomes.putAll(t.outcomes()));
                Slices.walk(e.getValue(), t0, new Track(g, tid, outcomes));
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private static void metadata(JsonGenerator g, String what, int tid, String value) throws IOException {
        g.writeStartObject();
        g.writeStringField("ph", "M");
        g.writeStringField("name", what);
        g.writeNumberField("pid", PID);
        g.writeNumberField("tid", tid);
        g.writeObjectFieldStart("args");
        g.writeStringField("name", value);
        g.writeEndObject();
        g.writeEndObject();
    }

    /** µs with three decimals, exact to the ns, so nesting survives the unit change. */
    static String micros(long nanos) {
        long frac = nanos % 1000;
        return (nanos / 1000) + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac;
    }

    private record Track(JsonGenerator g, int tid, Map<Long, Outcome> outcomes) implements Slices.Visitor {
        @Override
        public void open(Node n, long start, long end) {
            event(n, "X", start, end);
        }

        @Override
        public void close(Node n, long end) {
            // an X event is written whole when opened
        }

        @Override
        public void instant(Node tp, long at) {
            event(tp, "i", at, at);
        }

        private void event(Node n, String ph, long start, long end) {
            try {
                g.writeStartObject();
                g.writeStringField("ph", ph);
                g.writeStringField("name", Labels.of(n, outcomes));
                g.writeStringField("cat", Subsystem.of(n.symbol()).id());
                g.writeNumberField("pid", PID);
                g.writeNumberField("tid", tid);
                g.writeFieldName("ts");
                g.writeNumber(micros(start));
                if (ph.equals("X")) {
                    g.writeFieldName("dur");
                    g.writeNumber(micros(end - start));
                } else {
                    g.writeStringField("s", "t");
                }
                g.writeObjectFieldStart("args");
                g.writeNumberField("hopId", n.id());
                if (!n.synthetic()) {
                    Hop h = n.hop();
                    for (Map.Entry<String, Object> a : h.args().entrySet()) {
                        g.writeFieldName(a.getKey());
                        g.writeObject(a.getValue());
                    }
                    if (h.ret() != null) {
                        g.writeFieldName("ret");
                        g.writeObject(h.ret());
                    }
                    if (h.threw()) {
                        g.writeBooleanField("threw", true);
                    }
                }
                g.writeStringField("outcome", outcomes.getOrDefault(n.id(), Outcome.SUCCESS).name().toLowerCase(
                        java.util.Locale.ROOT));
                g.writeEndObject();
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
