package dev.dmatrace.analyzer.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jdk.jfr.AnnotationElement;
import jdk.jfr.Category;
import jdk.jfr.Event;
import jdk.jfr.EventFactory;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import jdk.jfr.StackTrace;
import jdk.jfr.ValueDescriptor;

/**
 * Writes real JFR recordings in the agent's event contract (docs/events.md): one event type per kernel symbol,
 * {@code dmatrace.fn.<symbol>} / {@code dmatrace.tp.<event>}, with hopId, parentHopId, rootHopId, depth, threw,
 * the arguments by their kernel names and {@code ret}; begun on entry and committed on exit like the agent's, so
 * children are committed before their parents. The event types are made with {@link EventFactory}, so a test can
 * use any symbol and any fields.
 */
public final class TestRecording implements AutoCloseable {
    private static final AtomicLong IDS = new AtomicLong();
    private static final Map<String, EventFactory> FACTORIES = new ConcurrentHashMap<>();

    private final Recording recording = new Recording();
    private final ThreadLocal<Deque<Call>> stack = ThreadLocal.withInitial(ArrayDeque::new);

    public TestRecording() {
        recording.setToDisk(true);
        recording.start();
    }

    /** An open call: close it with {@link #ret(Object)} or {@link #exit()}. */
    public final class Call {
        private final Event event;
        private final long hopId;
        private final long parentHopId;
        private final long rootHopId;
        private final int depth;
        private final boolean hasRet;

        private Call(Event event, long hopId, long parentHopId, long rootHopId, int depth, boolean hasRet) {
            this.event = event;
            this.hopId = hopId;
            this.parentHopId = parentHopId;
            this.rootHopId = rootHopId;
            this.depth = depth;
            this.hasRet = hasRet;
        }

        public long hopId() {
            return hopId;
        }

        public long parentHopId() {
            return parentHopId;
        }

        /** Returns {@code value} (the type given at entry) and commits the hop. */
        public long ret(Object value) {
            return close(value, false);
        }

        /** A void function returns. */
        public long exit() {
            return close(null, false);
        }

        /** The call threw instead of returning. */
        public long threw() {
            return close(null, true);
        }

        private long close(Object value, boolean threw) {
            Deque<Call> s = stack.get();
            if (s.peek() != this) {
                throw new IllegalStateException("calls must return in LIFO order");
            }
            s.pop();
            event.end();
            event.set(4, threw);
            if (hasRet && value != null) {
                event.set(lastIndex(), value);
            }
            event.commit();
            return hopId;
        }

        private int lastIndex() {
            return fieldCount.get(event.getClass()) - 1;
        }
    }

    private final Map<Class<?>, Integer> fieldCount = new ConcurrentHashMap<>();

    /**
     * Enters kernel function {@code symbol} returning {@code retType} ({@code void.class} for none) with
     * arguments given as name, value pairs.
     */
    public Call call(String symbol, Class<?> retType, Object... args) {
        return begin("dmatrace.fn." + symbol, retType, args);
    }

    /** Fires tracepoint {@code event} inside the current call: a hop of its own, committed at once. */
    public long tp(String event, Object... fields) {
        return begin("dmatrace.tp." + event, void.class, fields).exit();
    }

    private Call begin(String type, Class<?> retType, Object[] args) {
        Deque<Call> s = stack.get();
        Call parent = s.peek();
        long id = IDS.incrementAndGet();
        long parentId = parent == null ? 0 : parent.hopId;
        long root = parent == null ? id : parent.rootHopId;
        int depth = parent == null ? 0 : parent.depth + 1;
        Event e = factory(type, retType, args).newEvent();
        fieldCount.putIfAbsent(e.getClass(), 5 + args.length / 2 + (retType == void.class ? 0 : 1));
        e.set(0, id);
        e.set(1, parentId);
        e.set(2, root);
        e.set(3, depth);
        e.set(4, false);
        for (int i = 0; i < args.length; i += 2) {
            e.set(5 + i / 2, args[i + 1]);
        }
        Call c = new Call(e, id, parentId, root, depth, retType != void.class);
        s.push(c);
        e.begin();
        return c;
    }

    private EventFactory factory(String type, Class<?> retType, Object[] args) {
        StringBuilder key = new StringBuilder(type).append('|').append(retType.getName());
        for (int i = 0; i < args.length; i += 2) {
            key.append('|').append(args[i]).append(':').append(args[i + 1].getClass().getSimpleName());
        }
        return FACTORIES.computeIfAbsent(key.toString(), k -> {
            List<ValueDescriptor> fields = new ArrayList<>();
            fields.add(new ValueDescriptor(long.class, "hopId"));
            fields.add(new ValueDescriptor(long.class, "parentHopId"));
            fields.add(new ValueDescriptor(long.class, "rootHopId"));
            fields.add(new ValueDescriptor(int.class, "depth"));
            fields.add(new ValueDescriptor(boolean.class, "threw"));
            for (int i = 0; i < args.length; i += 2) {
                fields.add(new ValueDescriptor(primitive(args[i + 1].getClass()), (String) args[i]));
            }
            if (retType != void.class) {
                fields.add(new ValueDescriptor(retType, "ret"));
            }
            String label = type.substring(type.lastIndexOf('.') + 1);
            List<AnnotationElement> annotations = List.of(
                    new AnnotationElement(Name.class, type),
                    new AnnotationElement(Label.class, label),
                    new AnnotationElement(Category.class, new String[] {"dmatrace", "test"}),
                    new AnnotationElement(StackTrace.class, false));
            return EventFactory.create(annotations, fields);
        });
    }

    private static Class<?> primitive(Class<?> c) {
        if (c == Long.class) {
            return long.class;
        }
        if (c == Integer.class) {
            return int.class;
        }
        if (c == Boolean.class) {
            return boolean.class;
        }
        return c;
    }

    /** Emits a {@code dmatrace.Schema} event. */
    public void schema(int version, String agentVersion) {
        Event e = FACTORIES.computeIfAbsent("dmatrace.Schema", k -> EventFactory.create(
                List.of(new AnnotationElement(Name.class, "dmatrace.Schema"),
                        new AnnotationElement(StackTrace.class, false)),
                List.of(new ValueDescriptor(int.class, "schemaVersion"),
                        new ValueDescriptor(String.class, "agentVersion")))).newEvent();
        e.set(0, version);
        e.set(1, agentVersion);
        e.commit();
    }

    /** Ends the current chunk, so what follows is written to a new one (a second recording starting does it). */
    public void newChunk() {
        try (Recording r = new Recording()) {
            r.start();
            r.stop();
        }
    }

    /** Stops the recording and writes it to {@code file}. */
    public Path dump(Path file) throws IOException {
        recording.stop();
        recording.dump(file);
        return file;
    }

    @Override
    public void close() {
        recording.close();
    }
}
