package dev.dmatrace.analyzer.read;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Streams the hops of one recording, chunk by chunk, without holding its events. Only complete chunks are read.
 * Hops come in file order, or grouped by tree within each chunk to a sink that asks for it ({@link HopSink#byTree()}).
 * Each is decoded by {@link JfrChunkDecoder} (several chunks at once, handed on in chunk order); a chunk that
 * reader does not handle is read with {@code RecordingFile} instead, and the summary notes it: a file made of
 * exactly one complete chunk is read in place, otherwise the chunk is copied to a temporary file first, so a
 * damaged chunk (or an exception inside one) loses only that chunk.
 */
public final class RecordingReader {
    /** The dmatrace.Schema version this analyzer understands. */
    public static final int SUPPORTED_SCHEMA = 1;

    /** Which decoder reads the chunks: the fast one (falling back per chunk), or {@code RecordingFile} only. */
    enum Mode { FAST, RECORDING_FILE }

    private final Consumer<Hop> sink;
    private final LongConsumer progress;
    private final HopDecoder decoder;
    private final Mode mode;

    private final List<Problem> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Long> agentStats = new TreeMap<>();
    private long hops;
    private long malformed;
    private int schemaVersion;
    private String agentVersion;
    private long dataLossBytes;
    private long dataLossEvents;
    private int chunksDamagedWhileReading;

    private RecordingReader(Consumer<Hop> sink, LongConsumer progress, Mode mode) {
        this.sink = sink;
        this.progress = progress;
        this.decoder = new HopDecoder(true);
        this.mode = mode;
    }

    /**
     * Reads {@code file}, passing every hop to {@code sink} in file order (and each chunk's end, when the sink is a
     * {@link HopSink}; grouped by tree within a chunk when that sink asks for it); {@code progress} gets the number of bytes done after each chunk. Input errors become
     * problems in the summary, never exceptions.
     */
    public static ReadSummary read(Path file, Consumer<Hop> sink, LongConsumer progress) {
        return read(file, sink, progress, Mode.FAST);
    }

    static ReadSummary read(Path file, Consumer<Hop> sink, LongConsumer progress, Mode mode) {
        return new RecordingReader(sink, progress, mode).run(file);
    }


    private ReadSummary run(Path file) {
        ChunkScanner.Layout layout;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            layout = ChunkScanner.scan(ch);
            if (layout.fileSize() == 0) {
                problem(Problem.Kind.EMPTY, "the file is empty");
                return summary(file, 0, 0, 0, 0);
            }
            if (layout.chunks().isEmpty()) {
                problem(Problem.Kind.NOT_JFR, notJfrMessage(layout));
                return summary(file, layout.fileSize(), 0, layout.damagedChunks(), layout.fileSize());
            }
            readChunks(file, ch, layout);
        } catch (NoSuchFileException e) {
            problem(Problem.Kind.NOT_FOUND, "no such file");
            return summary(file, 0, 0, 0, 0);
        } catch (IOException e) {
            problem(Problem.Kind.NOT_FOUND, "cannot read: " + e.getMessage());
            return summary(file, 0, 0, 0, 0);
        }
        return finish(file, layout);
    }

    private void readChunks(Path file, FileChannel ch, ChunkScanner.Layout layout) throws IOException {
        List<ChunkScanner.Chunk> chunks = layout.chunks();
        boolean inPlace = chunks.size() == 1 && chunks.get(0).size() == layout.fileSize();
        HopSink trees = sink instanceof HopSink hs && hs.byTree() ? hs : null;
        try (ParallelChunks fast = mode == Mode.FAST
                ? new ParallelChunks(ch, chunks, Runtime.getRuntime().availableProcessors(), trees != null)
                : null) {
            for (int i = 0; i < chunks.size(); i++) {
                ChunkScanner.Chunk c = chunks.get(i);
                String fallback = null;
                if (fast != null) {
                    ParallelChunks.Outcome o = fast.drain(i, this::hop, trees != null ? trees::treeEnd : () -> { });
                    if (o.tail() != null) {
                        take(c, o.tail());
                    } else {
                        fallback = o.fallback();
                        notes.add(String.format("chunk at byte %d read with RecordingFile: %s", c.offset(),
                                fallback));
                    }
                }
                if (fast == null || fallback != null) {
                    readWithRecordingFile(file, ch, c, inPlace);
                }
                decoder.chunkEnd();
                if (sink instanceof HopSink hs) {
                    hs.chunkEnd();
                }
                progress.accept(c.offset() + c.size());
            }
        }
    }

    private void hop(Hop hop) {
        hops++;
        sink.accept(hop);
    }

    /** What the fast decoder found besides the hops it already handed on. */
    private void take(ChunkScanner.Chunk c, JfrChunkDecoder.Tail t) {
        schemaVersion = Math.max(schemaVersion, t.schemaVersion);
        if (t.sawAgentVersion) {
            agentVersion = t.agentVersion;
        }
        agentStats.putAll(t.agentStats);
        dataLossEvents += t.dataLossEvents;
        dataLossBytes += t.dataLossBytes;
        malformed += t.malformed;
        if (t.damage != null) {
            chunksDamagedWhileReading++;
            problem(Problem.Kind.DAMAGED_CHUNK, String.format(
                    "chunk at byte %d is damaged inside (%s); %d hops read from it before the damage",
                    c.offset(), t.damage.getClass().getSimpleName(), t.hops));
        }
    }

    private void readWithRecordingFile(Path file, FileChannel ch, ChunkScanner.Chunk c, boolean inPlace)
            throws IOException {
        if (inPlace) {
            readChunk(file, c);
            return;
        }
        Path tmp = Files.createTempFile("dmatrace-chunk", ".jfr");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                long done = 0;
                while (done < c.size()) {
                    done += ch.transferTo(c.offset() + done, c.size() - done, out);
                }
            }
            readChunk(tmp, c);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void readChunk(Path path, ChunkScanner.Chunk c) throws IOException {
        long before = hops;
        RecordingFile rf;
        try {
            rf = new RecordingFile(path);
        } catch (IOException | RuntimeException e) {
            damagedInside(c, e, 0);
            return;
        }
        try (rf) {
            while (true) {
                RecordedEvent e;
                // only JFR's parsing is guarded: an exception further on is a bug of ours, not damage
                try {
                    if (!rf.hasMoreEvents()) {
                        return;
                    }
                    e = rf.readEvent();
                } catch (IOException | RuntimeException ex) {
                    // RecordingFile reports a corrupt chunk with IOException or, in some JDKs, a RuntimeException
                    damagedInside(c, ex, hops - before);
                    return;
                }
                accept(e);
            }
        }
    }

    private void damagedInside(ChunkScanner.Chunk c, Exception e, long hopsBefore) {
        chunksDamagedWhileReading++;
        problem(Problem.Kind.DAMAGED_CHUNK, String.format(
                "chunk at byte %d is damaged inside (%s); %d hops read from it before the damage",
                c.offset(), e.getClass().getSimpleName(), hopsBefore));
    }

    private void accept(RecordedEvent e) {
        String type = e.getEventType().getName();
        if (HopDecoder.isHopType(type)) {
            Hop hop;
            try {
                hop = decoder.decode(e);
            } catch (ClassCastException | NullPointerException ex) {
                hop = null; // a contract field of another type (hopId as a String ...)
            }
            if (hop == null) {
                malformed++;
                return;
            }
            hops++;
            sink.accept(hop);
        } else if (type.equals("dmatrace.Schema")) {
            schemaVersion = Math.max(schemaVersion, e.getInt("schemaVersion"));
            if (e.hasField("agentVersion")) {
                agentVersion = e.getString("agentVersion");
            }
        } else if (type.equals("dmatrace.AgentStats")) {
            for (var f : e.getFields()) {
                if (e.getValue(f.getName()) instanceof Number n && !f.getName().equals("duration")
                        && !f.getName().equals("startTime")) {
                    agentStats.put(f.getName(), n.longValue());
                }
            }
        } else if (type.equals("jdk.DataLoss")) {
            dataLossEvents++;
            dataLossBytes += e.getLong("amount");
        }
    }

    private ReadSummary finish(Path file, ChunkScanner.Layout layout) {
        List<String> notes = layout.notes();
        for (String n : notes) {
            problem(n.contains("truncated") || n.contains("never finished") ? Problem.Kind.TRUNCATED
                    : Problem.Kind.DAMAGED_CHUNK, n);
        }
        if (dataLossEvents > 0) {
            problem(Problem.Kind.DATA_LOSS, String.format(
                    "JFR itself reported %d data-loss event(s), %d bytes of events dropped while recording",
                    dataLossEvents, dataLossBytes));
        }
        if (malformed > 0) {
            problem(Problem.Kind.MALFORMED_EVENTS, malformed
                    + " dmatrace.fn/tp events lack the hop id fields (or have them with other types) and were skipped");
        }
        if (schemaVersion > SUPPORTED_SCHEMA) {
            problem(Problem.Kind.SCHEMA_TOO_NEW, String.format(
                    "recorded with event schema %d, this analyzer understands schema %d: update dmatrace",
                    schemaVersion, SUPPORTED_SCHEMA));
        }
        if (hops == 0) {
            problem(Problem.Kind.NO_DMATRACE_EVENTS,
                    "a JFR recording, but without dmatrace events (was the agent attached?)");
        }
        return summary(file, layout.fileSize(), layout.chunks().size() - chunksDamagedWhileReading,
                layout.damagedChunks() + chunksDamagedWhileReading, layout.lostBytes());
    }

    private static String notJfrMessage(ChunkScanner.Layout layout) {
        return !layout.jfrMagic()
                ? "not a JFR recording (no FLR chunk header)"
                : "no complete JFR chunk: " + layout.notes().get(0);
    }

    private void problem(Problem.Kind kind, String message) {
        problems.add(new Problem(kind, message));
    }

    private ReadSummary summary(Path file, long size, int read, int damaged, long lost) {
        return new ReadSummary(file.toString(), size, read, damaged, lost, hops, schemaVersion, agentVersion,
                agentStats, dataLossBytes, List.copyOf(problems), List.copyOf(notes));
    }
}
