package dev.dmatrace.analyzer.read;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Decodes the complete chunks of one file with {@link JfrChunkDecoder}, one task per chunk on a few threads, and
 * hands their hops on in chunk order. A task streams its hops through a small bounded queue, so a chunk decoded
 * ahead waits with a few thousand hops at most; chunk bytes are mapped, never copied into the heap.
 */
final class ParallelChunks implements AutoCloseable {
    private static final int BATCH = 1024;
    private static final int QUEUE = 8;

    /** What a task puts in its queue: hops, then exactly one end. */
    private sealed interface Item permits Batch, End {}

    /** Hops in order; a null stands for the end of a tree (when decoding by tree). */
    private record Batch(Hop[] hops, int n) implements Item {}

    /** The chunk's tail, or why RecordingFile must read it instead (then no hop was sent). */
    private record End(JfrChunkDecoder.Tail tail, String fallback, Throwable bug) implements Item {}

    /** How one chunk went: its tail, or the reason it must be read another way. */
    record Outcome(JfrChunkDecoder.Tail tail, String fallback) {}

    private final ExecutorService pool;
    private final List<BlockingQueue<Item>> queues = new ArrayList<>();

    /** {@code byTree}: hand each chunk's hops on grouped by tree (see {@link HopSink#byTree()}). */
    ParallelChunks(FileChannel ch, List<ChunkScanner.Chunk> chunks, int threads, boolean byTree) {
        pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, chunks.size())), r -> {
            Thread t = new Thread(r, "dmatrace-decode");
            t.setDaemon(true);
            return t;
        });
        // tasks start in chunk order, so the chunk being drained is always running or done: no deadlock
        for (ChunkScanner.Chunk c : chunks) {
            BlockingQueue<Item> q = new ArrayBlockingQueue<>(QUEUE);
            queues.add(q);
            pool.execute(() -> decode(ch, c, q, byTree));
        }
    }

    private static void decode(FileChannel ch, ChunkScanner.Chunk c, BlockingQueue<Item> q, boolean byTree) {
        try {
            End end;
            if (c.size() > Integer.MAX_VALUE - 16) {
                end = new End(null, "larger than 2 GiB", null);
            } else {
                MappedByteBuffer bytes;
                try {
                    bytes = ch.map(FileChannel.MapMode.READ_ONLY, c.offset(), c.size());
                } catch (IOException | UnsupportedOperationException e) {
                    q.put(new End(null, "cannot be mapped (" + e.getMessage() + ")", null));
                    return;
                }
                Hop[][] batch = {new Hop[BATCH]};
                int[] n = {0};
                JfrChunkDecoder.Tail tail;
                try {
                    tail = JfrChunkDecoder.decode(bytes, new JfrChunkDecoder.HopOut() {
                        @Override
                        public void accept(Hop hop) throws InterruptedException {
                            add(hop);
                        }

                        @Override
                        public void treeEnd() throws InterruptedException {
                            add(null);
                        }

                        private void add(Hop hop) throws InterruptedException {
                            batch[0][n[0]++] = hop;
                            if (n[0] == BATCH) {
                                q.put(new Batch(batch[0], BATCH));
                                batch[0] = new Hop[BATCH];
                                n[0] = 0;
                            }
                        }
                    }, byTree);
                } catch (JfrChunkDecoder.Unsupported u) {
                    q.put(new End(null, u.getMessage(), null));
                    return;
                }
                if (n[0] > 0) {
                    q.put(new Batch(batch[0], n[0]));
                }
                end = new End(tail, null, null);
            }
            q.put(end);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the reader gave up: nobody drains this queue any more
        } catch (RuntimeException | Error e) {
            try {
                q.put(new End(null, null, e));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Hands chunk {@code i}'s hops to {@code sink} as they are decoded; the outcome once the chunk is done. */
    Outcome drain(int i, Consumer<Hop> sink, Runnable treeEnd) {
        BlockingQueue<Item> q = queues.get(i);
        try {
            while (true) {
                Item item = q.take();
                if (item instanceof Batch b) {
                    for (int k = 0; k < b.n; k++) {
                        Hop h = b.hops[k];
                        if (h == null) {
                            treeEnd.run();
                        } else {
                            sink.accept(h);
                        }
                    }
                } else {
                    End e = (End) item;
                    queues.set(i, null);
                    if (e.bug != null) {
                        throw new IllegalStateException("decoding a chunk failed", e.bug);
                    }
                    return new Outcome(e.tail, e.fallback);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading", e);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
