package dev.dmatrace.analyzer.read;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.dmatrace.analyzer.util.LongMap;

/**
 * Reads the events the analyzer needs straight from the bytes of one complete JFR chunk, without
 * {@code jdk.jfr.consumer}: hop events ({@code dmatrace.fn.*}, {@code dmatrace.tp.*}), {@code dmatrace.Schema},
 * {@code dmatrace.AgentStats} and {@code jdk.DataLoss}; every other event is skipped by its size.
 *
 * <p>The chunk format (JDK {@code jdk.jfr.internal.consumer}): a 68-byte header (magic, version, chunk size,
 * offsets of the last constant-pool checkpoint and of the metadata, start nanos, duration, start ticks, ticks per
 * second, state and flag bytes); then events, each {@code size, type id, fields in metadata order}, every integer
 * a LEB128 varint (at most 9 bytes, the ninth taking 8 bits), floats and doubles big-endian, booleans and bytes
 * one byte. Type 0 is the metadata event (a string table, then a tree of elements: classes with their fields);
 * type 1 a checkpoint (constant pools: per type, key and value), chained backwards from the header's offset.
 * A string is an encoding byte (0 null, 1 empty, 2 constant-pool key, 3 UTF-8, 4 char array, 5 Latin-1) and
 * what that encoding needs.
 *
 * <p>Exactness with {@code RecordingFile} is the contract (see the differential test): times are converted with
 * the same double arithmetic, a hop carries the same boxed values. Anything this reader does not handle — another
 * chunk version, compressed ticks, a hop field of a type that is neither primitive nor a string, a contract field
 * of an unexpected type — is {@link Unsupported} before any hop is handed on, and the caller reads the chunk with
 * {@code RecordingFile} instead.
 */
final class JfrChunkDecoder {
    private static final int MAGIC = 0x464C5200;
    private static final long METADATA = 0;
    private static final long CHECKPOINT = 1;
    private static final int FLAG_COMPRESSED_TICKS = 1 << 2;

    /** The chunk uses something this decoder does not read. */
    static final class Unsupported extends Exception {
        Unsupported(String why) {
            super(why, null, false, false);
        }
    }

    /** Where the hops go; may block (a bounded hand-over to the thread building trees). */
    interface HopOut {
        void accept(Hop hop) throws InterruptedException;

        /** By tree only: every hop of this chunk that names the root just handed on as its root has been. */
        default void treeEnd() throws InterruptedException {}
    }

    /** What the chunk held besides its hops, and how far decoding got. */
    static final class Tail {
        int schemaVersion;
        boolean sawAgentVersion;
        String agentVersion;
        final Map<String, Long> agentStats = new LinkedHashMap<>();
        long dataLossEvents;
        long dataLossBytes;
        long malformed;
        long hops;
        /** Set when the events area is damaged after hops were handed on (nothing read is taken back). */
        RuntimeException damage;
    }

    private enum Kind { BOOLEAN, BYTE, CHAR, SHORT, INT, LONG, FLOAT, DOUBLE, STRING, OBJECT }

    private static final class Type {
        final long id;
        final String name;
        final Kind kind;
        final List<Field> fields = new ArrayList<>();

        Type(long id, String name) {
            this.id = id;
            this.name = name;
            this.kind = kindOf(name);
        }
    }

    private record Field(String name, long typeId, boolean constantPool, boolean array) {}

    /** The per-field operations of a hop event type. */
    private static final int OP_SKIP = 0;
    private static final int OP_START = 1;
    private static final int OP_DURATION = 2;
    private static final int OP_THREAD = 3;
    private static final int OP_HOP_ID = 4;
    private static final int OP_PARENT = 5;
    private static final int OP_ROOT = 6;
    private static final int OP_DEPTH = 7;
    private static final int OP_THREW = 8;
    private static final int OP_ARG = 9;
    private static final int OP_RET = 10;
    private static final int OP_SKIP_KEY = 11;

    /** How a field's value is laid out, so the per-hop loops need not look at its field and type. */
    private static final int K_OTHER = 0;
    private static final int K_LONG = 1;
    private static final int K_INT = 2;
    private static final int K_BOOLEAN = 3;
    private static final int K_POOL = 4;
    private static final int K_STRING = 5;

    /** How one event type is read: a hop plan, or one of the agent/JDK events read by name. */
    private static final class Plan {
        final String eventName;
        final int[] ops;
        /** Per field, one of the K_ layouts. */
        final int[] kinds;
        final Field[] fields;
        final Type[] types;
        final String symbol;
        final int symbolId;
        final Hop.Kind kind;
        final String[] argNames;
        /** False when a hop type lacks the contract's id fields: its events are counted as malformed. */
        final boolean valid;
        /** Why this reader cannot read events of this type (null: it can). */
        final String unsupported;
        /** The last field needed to know the hop's ids (-1: not a hop plan). */
        int idsLast = -1;

        Plan(String eventName, int[] ops, Field[] fields, Type[] types, String symbol, Hop.Kind kind,
             String[] argNames, boolean valid, String unsupported) {
            this.unsupported = unsupported;
            this.eventName = eventName;
            this.ops = ops;
            this.fields = fields;
            this.types = types;
            this.kinds = new int[fields == null ? 0 : fields.length];
            for (int i = 0; i < kinds.length; i++) {
                kinds[i] = kindOf(fields[i], types[i]);
            }
            this.symbol = symbol;
            this.symbolId = symbol == null ? -1 : SymbolIds.of(symbol);
            this.kind = kind;
            this.argNames = argNames;
            this.valid = valid;
        }
    }

    private static int kindOf(Field f, Type t) {
        if (f.array) {
            return K_OTHER;
        }
        if (f.constantPool) {
            return K_POOL;
        }
        return switch (t.kind) {
            case LONG -> K_LONG;
            case INT -> K_INT;
            case BOOLEAN -> K_BOOLEAN;
            case STRING -> K_STRING;
            default -> K_OTHER;
        };
    }

    private record ThreadKey(long id, String name) {
        static final ThreadKey UNKNOWN = new ThreadKey(-1, "?");
    }

    private final ChunkInput in;
    private long startTicks;
    private long startNanos;
    private double divisor;

    private final LongMap<Type> types = new LongMap<>();
    private final LongMap<Plan> plans = new LongMap<>();
    private final LongMap<String> strings = new LongMap<>();
    private final LongMap<Integer> threadAt = new LongMap<>();
    private final LongMap<ThreadKey> threads = new LongMap<>();
    private long stringTypeId = -1;
    private boolean anyUnsupported;
    private Type threadType;

    private JfrChunkDecoder(ByteBuffer chunk) {
        this.in = new ChunkInput(chunk);
    }

    /**
     * Decodes one complete chunk ({@code chunk} holds exactly its bytes, from position 0), handing each hop to
     * {@code out} in file order.
     *
     * @throws Unsupported before any hop was handed on, when {@code RecordingFile} must read this chunk
     */
    static Tail decode(ByteBuffer chunk, HopOut out) throws Unsupported, InterruptedException {
        return decode(chunk, out, false);
    }

    /**
     * As {@link #decode(ByteBuffer, HopOut)}; {@code byTree}: hand the hops on grouped by tree instead of in file
     * order (see {@link #eventsByTree}).
     */
    static Tail decode(ByteBuffer chunk, HopOut out, boolean byTree) throws Unsupported, InterruptedException {
        JfrChunkDecoder d = new JfrChunkDecoder(chunk);
        try {
            d.header();
            d.metadata();
            d.constantPools();
            d.refuseUnreadableEvents();
        } catch (RuntimeException e) {
            // damage in the chunk's structure: RecordingFile gives the documented report for it
            throw new Unsupported("cannot read its metadata or constant pools (" + e + ")");
        }
        return byTree ? d.eventsByTree(out) : d.events(out);
    }

    private void header() throws Unsupported {
        if (in.size < ChunkScanner.HEADER_SIZE || in.buf.getInt(0) != MAGIC) {
            throw new Unsupported("no chunk header");
        }
        int major = in.buf.getShort(4);
        int minor = in.buf.getShort(6);
        if (major != 2 || minor > 1) {
            throw new Unsupported("chunk format " + major + "." + minor);
        }
        if ((in.buf.get(67) & FLAG_COMPRESSED_TICKS) != 0) {
            throw new Unsupported("compressed ticks");
        }
        startNanos = in.buf.getLong(32);
        startTicks = in.buf.getLong(48);
        long ticksPerSecond = in.buf.getLong(56);
        divisor = (double) ticksPerSecond / 1_000_000_000L;
    }

    // ---- metadata ----

    private record Element(String name, Map<String, String> attributes, List<Element> children) {}

    private void metadata() throws Unsupported {
        in.pos = (int) in.buf.getLong(24);
        int start = in.pos;
        int eventSize = (int) in.varlong();
        if (in.varlong() != METADATA) {
            throw new Unsupported("no metadata event at its offset");
        }
        in.varlong(); // start time
        in.varlong(); // duration
        in.varlong(); // metadata id
        String[] table = new String[(int) in.varlong()];
        for (int i = 0; i < table.length; i++) {
            table[i] = in.string(strings);
        }
        Element root = element(table);
        if (in.pos > start + eventSize) {
            throw new IllegalStateException("metadata overruns its event");
        }
        for (Element m : root.children) {
            if (!m.name.equals("metadata")) {
                continue;
            }
            for (Element c : m.children) {
                if (!c.name.equals("class")) {
                    continue;
                }
                Type t = new Type(Long.parseLong(c.attributes.get("id")), c.attributes.get("name"));
                for (Element f : c.children) {
                    if (f.name.equals("field")) {
                        t.fields.add(new Field(f.attributes.get("name"), Long.parseLong(f.attributes.get("class")),
                                "true".equals(f.attributes.get("constantPool")),
                                "1".equals(f.attributes.get("dimension"))));
                    }
                }
                types.put(t.id, t);
                if (t.name.equals("java.lang.String")) {
                    stringTypeId = t.id;
                } else if (t.name.equals("java.lang.Thread")) {
                    threadType = t;
                }
            }
        }
        for (Element m : root.children) {
            if (m.name.equals("metadata")) {
                for (Element c : m.children) {
                    if (c.name.equals("class")) {
                        plan(types.get(Long.parseLong(c.attributes.get("id"))));
                    }
                }
            }
        }
    }

    private Element element(String[] table) {
        String name = table[(int) in.varlong()];
        int attributeCount = (int) in.varlong();
        Map<String, String> attributes = new HashMap<>();
        for (int i = 0; i < attributeCount; i++) {
            attributes.put(table[(int) in.varlong()], table[(int) in.varlong()]);
        }
        int childCount = (int) in.varlong();
        List<Element> children = new ArrayList<>(childCount);
        for (int i = 0; i < childCount; i++) {
            children.add(element(table));
        }
        return new Element(name, attributes, children);
    }

    /**
     * Plans how to read one event type. A type this reader cannot read refuses the chunk only if one of its
     * events is in it: every type the JVM ever registered is declared in every chunk's metadata.
     */
    private void plan(Type t) {
        try {
            buildPlan(t);
        } catch (Unsupported u) {
            plans.put(t.id, new Plan(t.name, null, null, null, null, null, null, false, u.getMessage()));
            anyUnsupported = true;
        }
    }

    private void buildPlan(Type t) throws Unsupported {
        String name = t.name;
        boolean hop = HopDecoder.isHopType(name);
        if (!hop && !name.equals("dmatrace.Schema") && !name.equals("dmatrace.AgentStats")
                && !name.equals("jdk.DataLoss")) {
            return;
        }
        int n = t.fields.size();
        int[] ops = new int[n];
        Field[] fields = t.fields.toArray(Field[]::new);
        Type[] fieldTypes = new Type[n];
        List<String> args = new ArrayList<>();
        boolean[] seen = new boolean[OP_SKIP_KEY + 1];
        for (int i = 0; i < n; i++) {
            Field f = fields[i];
            fieldTypes[i] = types.get(f.typeId);
            if (fieldTypes[i] == null) {
                throw new Unsupported("field " + name + "." + f.name + " of an undeclared type");
            }
        }
        // RecordingFile takes the first field as the start ticks and a second named duration as the duration
        if (n == 0 || !fields[0].name.equals("startTime") || fieldTypes[0].kind != Kind.LONG || fields[0].array) {
            throw new Unsupported(name + " does not begin with its start time");
        }
        for (int i = 0; i < n; i++) {
            Field f = fields[i];
            Kind k = fieldTypes[i].kind;
            int op;
            if (i == 0) {
                op = OP_START;
            } else if (i == 1 && f.name.equals("duration")) {
                op = OP_DURATION;
            } else if (!hop) {
                op = OP_ARG; // read by name below
            } else {
                op = switch (f.name) {
                    case "eventThread" -> OP_THREAD;
                    case "stackTrace" -> OP_SKIP;
                    case "hopId" -> OP_HOP_ID;
                    case "parentHopId" -> OP_PARENT;
                    case "rootHopId" -> OP_ROOT;
                    case "depth" -> OP_DEPTH;
                    case "threw" -> OP_THREW;
                    case "ret" -> OP_RET;
                    case "startTime", "duration" -> OP_SKIP; // not where RecordingFile expects them
                    default -> OP_ARG;
                };
            }
            boolean simple = !f.array && (k != Kind.OBJECT) && (!f.constantPool || k == Kind.STRING);
            switch (op) {
                case OP_HOP_ID, OP_PARENT, OP_ROOT -> require(k == Kind.LONG && !f.array && !f.constantPool, t, f);
                case OP_DEPTH -> require(k == Kind.INT && !f.array && !f.constantPool, t, f);
                case OP_THREW -> require(k == Kind.BOOLEAN && !f.array && !f.constantPool, t, f);
                case OP_THREAD -> require(f.constantPool && fieldTypes[i] == threadType && !f.array, t, f);
                case OP_ARG, OP_RET -> {
                    if (hop) {
                        require(simple, t, f);
                    }
                }
                default -> { }
            }
            if (op == OP_ARG) {
                args.add(f.name);
            }
            if (op == OP_DURATION && (k != Kind.LONG || f.array)) {
                throw new Unsupported(name + " has a duration that is not a long");
            }
            seen[op] = true;
            ops[i] = op == OP_SKIP && f.constantPool && !f.array ? OP_SKIP_KEY : op;
        }
        boolean valid = !hop || seen[OP_HOP_ID] && seen[OP_PARENT] && seen[OP_ROOT] && seen[OP_DEPTH];
        String symbol = null;
        Hop.Kind kind = null;
        if (hop) {
            boolean fn = name.startsWith(HopDecoder.FN_PREFIX);
            symbol = name.substring(fn ? HopDecoder.FN_PREFIX.length() : HopDecoder.TP_PREFIX.length());
            kind = fn ? Hop.Kind.FN : Hop.Kind.TP;
        }
        Plan plan = new Plan(name, ops, fields, fieldTypes, symbol, kind, args.toArray(String[]::new), valid, null);
        for (int i = 0; i < n; i++) {
            if (ops[i] == OP_HOP_ID || ops[i] == OP_PARENT || ops[i] == OP_ROOT) {
                plan.idsLast = i;
            }
        }
        plans.put(t.id, plan);
    }

    private static void require(boolean ok, Type t, Field f) throws Unsupported {
        if (!ok) {
            throw new Unsupported("field " + t.name + "." + f.name + " has a type this reader does not decode");
        }
    }

    private static Kind kindOf(String className) {
        return switch (className) {
            case "boolean" -> Kind.BOOLEAN;
            case "byte" -> Kind.BYTE;
            case "char" -> Kind.CHAR;
            case "short" -> Kind.SHORT;
            case "int" -> Kind.INT;
            case "long" -> Kind.LONG;
            case "float" -> Kind.FLOAT;
            case "double" -> Kind.DOUBLE;
            case "java.lang.String" -> Kind.STRING;
            default -> Kind.OBJECT;
        };
    }

    // ---- constant pools ----

    /**
     * Reads the string pool and remembers where each thread is; threads are resolved when an event first names
     * them, once every string they may refer to is known. Other pools are skipped.
     */
    private void constantPools() {
        long offset = in.buf.getLong(16);
        int guard = 0;
        while (true) {
            in.pos = (int) offset;
            int start = in.pos;
            int eventSize = (int) in.varlong();
            if (in.varlong() != CHECKPOINT) {
                throw new IllegalStateException("no checkpoint event at " + offset);
            }
            in.varlong(); // start time
            in.varlong(); // duration
            long delta = in.varlong();
            in.pos++; // checkpoint kind (flush, statics, ...)
            int pools = (int) in.varlong();
            for (int p = 0; p < pools; p++) {
                long typeId = in.varlong();
                int count = (int) in.varlong();
                Type t = types.get(typeId);
                if (t == null) {
                    throw new IllegalStateException("constant pool of an undeclared type " + typeId);
                }
                for (int i = 0; i < count; i++) {
                    long key = in.varlong();
                    if (typeId == stringTypeId) {
                        strings.put(key, in.string(strings));
                    } else if (t == threadType) {
                        threadAt.put(key, in.pos);
                        skipValue(t);
                    } else {
                        skipValue(t);
                    }
                }
            }
            if (in.pos > start + eventSize) {
                throw new IllegalStateException("checkpoint overruns its event");
            }
            if (delta == 0 || ++guard > 1_000_000) {
                return;
            }
            offset += delta;
            if (offset < ChunkScanner.HEADER_SIZE || offset >= in.size) {
                throw new IllegalStateException("checkpoint chain leaves the chunk");
            }
        }
    }

    /** The thread of the last hop: consecutive hops nearly always share it. */
    private long lastThreadKey = Long.MIN_VALUE;
    private ThreadKey lastThread;

    private ThreadKey thread(long key) {
        if (key == lastThreadKey) {
            return lastThread;
        }
        ThreadKey k = threads.get(key);
        if (k != null) {
            lastThreadKey = key;
            lastThread = k;
            return k;
        }
        Integer at = threadAt.get(key);
        if (at == null) {
            k = ThreadKey.UNKNOWN; // RecordingFile gives a null thread
        } else {
            int saved = in.pos;
            in.pos = at;
            String javaName = null;
            String osName = null;
            long javaId = -1;
            for (Field f : threadType.fields) {
                Type ft = types.get(f.typeId);
                boolean str = ft.kind == Kind.STRING && !f.array;
                if (str && f.name.equals("javaName")) {
                    javaName = f.constantPool ? strings.get(in.varlong()) : in.string(strings);
                } else if (str && f.name.equals("osName")) {
                    osName = f.constantPool ? strings.get(in.varlong()) : in.string(strings);
                } else if (f.name.equals("javaThreadId") && ft.kind == Kind.LONG && !f.array && !f.constantPool) {
                    javaId = in.varlong();
                } else {
                    skip(f, ft);
                }
            }
            in.pos = saved;
            k = new ThreadKey(javaId, javaName != null ? javaName : osName != null ? osName : "?");
        }
        threads.put(key, k);
        lastThreadKey = key;
        lastThread = k;
        return k;
    }

    // ---- events ----

    /** A pass over the event headers only, when some type cannot be read: is any of its events here? */
    private void refuseUnreadableEvents() throws Unsupported {
        if (!anyUnsupported) {
            return;
        }
        for (in.pos = ChunkScanner.HEADER_SIZE; in.pos < in.size; ) {
            int start = in.pos;
            long eventSize = in.varlong();
            if (eventSize <= 0 || eventSize > in.size - start) {
                return; // damage: found again, and reported, by the real pass
            }
            Plan plan = plans.get(in.varlong());
            if (plan != null && plan.unsupported != null) {
                throw new Unsupported(plan.unsupported);
            }
            in.pos = start + (int) eventSize;
        }
    }

    /** Reads the size of the event at {@code start} (the cursor) and returns where it ends; damage if it does not fit. */
    private int eventEnd(int start) {
        long eventSize = in.varlong();
        if (eventSize <= 0 || eventSize > in.size - start) {
            throw new IllegalStateException("event at " + start + " of size " + eventSize + " does not fit in the chunk");
        }
        return start + (int) eventSize;
    }

    /**
     * Reads the event's type id: its plan, or null for a checkpoint or a type nobody decodes. A type this reader
     * refused cannot appear here (refuseUnreadableEvents() found none), so one that does is damage.
     */
    private Plan eventPlan() {
        long typeId = in.varlong();
        Plan plan = typeId > CHECKPOINT ? plans.get(typeId) : null;
        if (plan != null && plan.unsupported != null) {
            throw new IllegalStateException(plan.unsupported);
        }
        return plan;
    }

    private void checkWithin(int start, int end) {
        if (in.pos > end) {
            throw new IllegalStateException("event at " + start + " overruns its size");
        }
    }

    private Tail events(HopOut out) throws Unsupported, InterruptedException {
        Tail tail = new Tail();
        in.pos = ChunkScanner.HEADER_SIZE;
        try {
            while (in.pos < in.size) {
                int start = in.pos;
                int end = eventEnd(start);
                Plan plan = eventPlan();
                if (plan != null && plan.symbol != null) {
                    Hop hop = plan.valid ? hop(plan) : null;
                    checkWithin(start, end);
                    if (hop == null) {
                        tail.malformed++;
                    } else {
                        tail.hops++;
                        out.accept(hop);
                    }
                } else if (plan != null) {
                    other(plan, tail);
                    checkWithin(start, end);
                }
                in.pos = end;
            }
        } catch (RuntimeException e) {
            if (tail.hops == 0) {
                throw new Unsupported("damaged events (" + e.getClass().getSimpleName() + ")");
            }
            tail.damage = e;
        }
        return tail;
    }

    /**
     * The chunk's hops grouped by tree: first a pass that reads only each hop's ids and place (primitive arrays,
     * a few bytes a hop) and the other events; then the hops are decoded and handed on tree by tree, in the order
     * their roots appear in the file, each tree's hops in file order followed by {@link HopOut#treeEnd()}; hops
     * whose root is not in this chunk come last, in file order. A tree builder can then hand each tree on as soon
     * as it ends instead of holding the whole chunk's hops until the chunk ends.
     */
    private Tail eventsByTree(HopOut out) throws Unsupported, InterruptedException {
        Tail tail = new Tail();
        int[] at = new int[1024];
        long[] rootOf = new long[1024];
        int n = 0;
        long[] rootIds = new long[256]; // the chunk's roots in file order: a root's rank is its index
        int roots = 0;
        in.pos = ChunkScanner.HEADER_SIZE;
        try {
            while (in.pos < in.size) {
                int start = in.pos;
                int end = eventEnd(start);
                Plan plan = eventPlan();
                if (plan != null && plan.symbol == null) {
                    other(plan, tail);
                } else if (plan != null && !plan.valid) {
                    tail.malformed++;
                } else if (plan != null) {
                    ids(plan);
                    if (n == at.length) {
                        at = java.util.Arrays.copyOf(at, n * 2);
                        rootOf = java.util.Arrays.copyOf(rootOf, n * 2);
                    }
                    at[n] = start;
                    rootOf[n] = idRoot;
                    if (idParent == 0) {
                        if (roots == rootIds.length) {
                            rootIds = java.util.Arrays.copyOf(rootIds, roots * 2);
                        }
                        rootIds[roots++] = idHop;
                    }
                    n++;
                }
                checkWithin(start, end);
                in.pos = end;
            }
        } catch (RuntimeException e) {
            throw new Unsupported("damaged events (" + e.getClass().getSimpleName() + ")"); // nothing handed on
        }
        // made once the roots are known, at its final size: growing it root by root cost more than the look-ups
        LongMap<Integer> rootAt = new LongMap<>(Integer.highestOneBit(Math.max(roots, 8) * 4 - 1));
        for (int r = 0; r < roots; r++) {
            rootAt.put(rootIds[r], r);
        }
        // a counting sort by tree (the root's rank; hops whose root is elsewhere rank last), file order within
        int[] tree = new int[n];
        int[] first = new int[roots + 2];
        long lastRoot = 0;
        int lastRank = roots;
        for (int i = 0; i < n; i++) {
            if (rootOf[i] != lastRoot || i == 0) { // consecutive hops mostly belong to one tree
                Integer rank = rootAt.get(rootOf[i]);
                lastRoot = rootOf[i];
                lastRank = rank == null ? roots : rank;
            }
            tree[i] = lastRank;
            first[lastRank + 1]++;
        }
        for (int t = 0; t <= roots; t++) {
            first[t + 1] += first[t];
        }
        int[] order = new int[n];
        int[] next = java.util.Arrays.copyOf(first, roots + 1);
        for (int i = 0; i < n; i++) {
            order[next[tree[i]]++] = i;
        }
        try {
            for (int t = 0; t <= roots; t++) {
                for (int k = first[t]; k < first[t + 1]; k++) {
                    in.pos = at[order[k]];
                    in.varlong(); // its size
                    Hop hop = hop(plans.get(in.varlong()));
                    tail.hops++;
                    out.accept(hop);
                }
                if (t < roots && first[t] < first[t + 1]) {
                    out.treeEnd();
                }
            }
        } catch (RuntimeException e) {
            if (tail.hops == 0) {
                throw new Unsupported("damaged events (" + e.getClass().getSimpleName() + ")");
            }
            tail.damage = e;
        }
        return tail;
    }

    private long idHop;
    private long idParent;
    private long idRoot;

    /** Reads a hop event's fields as far as its ids (into idHop, idParent, idRoot). */
    private void ids(Plan plan) {
        int[] ops = plan.ops;
        for (int i = 0; i <= plan.idsLast; i++) {
            switch (ops[i]) {
                case OP_HOP_ID -> idHop = in.varlong();
                case OP_PARENT -> idParent = in.varlong();
                case OP_ROOT -> idRoot = in.varlong();
                case OP_START, OP_DURATION, OP_THREAD, OP_DEPTH, OP_SKIP_KEY -> in.skipVarlong();
                case OP_THREW -> in.pos++;
                default -> skip(plan, i);
            }
        }
    }

    private Hop hop(Plan plan) {
        int[] ops = plan.ops;
        Object[] args = new Object[plan.argNames.length];
        int a = 0;
        long startT = 0;
        long durationT = 0;
        long id = 0;
        long parent = 0;
        long root = 0;
        int depth = 0;
        boolean threw = false;
        ThreadKey thread = ThreadKey.UNKNOWN;
        Object ret = null;
        for (int i = 0; i < ops.length; i++) {
            switch (ops[i]) {
                case OP_START -> startT = in.varlong();
                case OP_DURATION -> durationT = in.varlong();
                case OP_THREAD -> {
                    long key = in.varlong();
                    thread = thread(key);
                }
                case OP_HOP_ID -> id = in.varlong();
                case OP_PARENT -> parent = in.varlong();
                case OP_ROOT -> root = in.varlong();
                case OP_DEPTH -> depth = (int) in.varlong();
                case OP_THREW -> threw = in.buf.get(in.pos++) != 0;
                case OP_ARG -> args[a++] = value(plan, i);
                case OP_RET -> ret = value(plan, i);
                case OP_SKIP_KEY -> in.varlong(); // a stack trace, say: a constant-pool key
                default -> skip(plan, i);
            }
        }
        long start = nanos(startT);
        return new Hop(id, parent, root, depth, plan.symbol, plan.symbolId, plan.kind, thread.id, thread.name, start,
                nanos(startT + durationT) - start, plan.argNames, args, threw ? null : ret, threw);
    }

    /** A {@code dmatrace.Schema}, {@code dmatrace.AgentStats} or {@code jdk.DataLoss} event. */
    private void other(Plan plan, Tail tail) {
        Object[] values = new Object[plan.ops.length];
        for (int i = 0; i < plan.ops.length; i++) {
            Field f = plan.fields[i];
            Type t = plan.types[i];
            boolean simple = !f.array && t.kind != Kind.OBJECT && (!f.constantPool || t.kind == Kind.STRING);
            if (simple) {
                values[i] = value(f, t);
            } else {
                skip(f, t);
            }
        }
        switch (plan.eventName) {
            case "dmatrace.Schema" -> {
                if (valueOf(plan, values, "schemaVersion") instanceof Integer v) {
                    tail.schemaVersion = Math.max(tail.schemaVersion, v);
                }
                for (Field f : plan.fields) {
                    if (f.name.equals("agentVersion")) {
                        tail.sawAgentVersion = true;
                        Object v = valueOf(plan, values, "agentVersion");
                        tail.agentVersion = v == null ? null : v.toString();
                    }
                }
            }
            case "dmatrace.AgentStats" -> {
                for (int i = 0; i < values.length; i++) {
                    String n = plan.fields[i].name;
                    if (values[i] instanceof Number v && !n.equals("duration") && !n.equals("startTime")) {
                        tail.agentStats.put(n, v.longValue());
                    }
                }
            }
            default -> {
                tail.dataLossEvents++;
                if (valueOf(plan, values, "amount") instanceof Number v) {
                    tail.dataLossBytes += v.longValue();
                }
            }
        }
    }

    private static Object valueOf(Plan plan, Object[] values, String name) {
        for (int i = 0; i < values.length; i++) {
            if (plan.fields[i].name.equals(name)) {
                return values[i];
            }
        }
        return null;
    }

    private long nanos(long ticks) {
        return startNanos + (long) ((ticks - startTicks) / divisor);
    }

    /** Field {@code i}'s value, by its layout; as {@link #value(Field, Type)}. */
    private Object value(Plan plan, int i) {
        return switch (plan.kinds[i]) {
            case K_LONG -> in.boxLong(in.varlong());
            case K_INT -> in.boxInt((int) in.varlong());
            case K_BOOLEAN -> in.buf.get(in.pos++) != 0;
            case K_POOL -> strings.get(in.varlong());
            case K_STRING -> in.string(strings);
            default -> value(plan.fields[i], plan.types[i]);
        };
    }

    /** Steps over field {@code i}, by its layout; as {@link #skip(Field, Type)}. */
    private void skip(Plan plan, int i) {
        switch (plan.kinds[i]) {
            case K_LONG, K_INT, K_POOL -> in.skipVarlong();
            case K_BOOLEAN -> in.pos++;
            case K_STRING -> in.skipString();
            default -> skip(plan.fields[i], plan.types[i]);
        }
    }

    /** A primitive or string field's value, boxed as RecordingFile boxes it. */
    private Object value(Field f, Type t) {
        if (f.constantPool) {
            return strings.get(in.varlong());
        }
        return switch (t.kind) {
            case BOOLEAN -> in.buf.get(in.pos++) != 0;
            case BYTE -> in.buf.get(in.pos++);
            case CHAR -> (char) in.varlong();
            case SHORT -> (short) in.varlong();
            case INT -> in.boxInt((int) in.varlong());
            case LONG -> in.boxLong(in.varlong());
            case FLOAT -> {
                float v = in.buf.getFloat(in.pos);
                in.pos += 4;
                yield v;
            }
            case DOUBLE -> {
                double v = in.buf.getDouble(in.pos);
                in.pos += 8;
                yield v;
            }
            case STRING -> in.string(strings);
            case OBJECT -> throw new IllegalStateException("not a simple value: " + t.name);
        };
    }

    private void skip(Field f, Type t) {
        int n = f.array ? (int) in.varlong() : 1;
        for (int i = 0; i < n; i++) {
            if (f.constantPool) {
                in.varlong();
            } else {
                skipValue(t);
            }
        }
    }

    private void skipValue(Type t) {
        switch (t.kind) {
            case BOOLEAN, BYTE -> in.pos++;
            case FLOAT -> in.pos += 4;
            case DOUBLE -> in.pos += 8;
            case CHAR, SHORT, INT, LONG -> in.varlong();
            case STRING -> in.skipString();
            case OBJECT -> {
                for (Field f : t.fields) {
                    Type ft = types.get(f.typeId);
                    if (ft == null) {
                        throw new IllegalStateException("field of an undeclared type in " + t.name);
                    }
                    skip(f, ft);
                }
            }
        }
    }
}
