package dev.dmatrace.analyzer;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A progress bar on stderr over the bytes of all recordings, drawn only for a person at a terminal
 * ({@code System.console() != null}); otherwise silent, so pipes and CI logs stay clean.
 */
public final class Progress {
    private final PrintStream err;
    private final long total;
    private final AtomicLong done = new AtomicLong();
    private final boolean on;

    private Progress(PrintStream err, long total, boolean on) {
        this.err = err;
        this.total = Math.max(1, total);
        this.on = on;
    }

    public static Progress none() {
        return new Progress(System.err, 1, false);
    }

    public static Progress forFiles(Iterable<Path> files) {
        long total = 0;
        for (Path f : files) {
            try {
                total += Files.size(f);
            } catch (java.io.IOException e) {
                // the reader reports unreadable files; they just add nothing to the bar
            }
        }
        return new Progress(System.err, total, System.console() != null);
    }

    /** Progress of one file: the reader reports the bytes done so far in that file. */
    public LongConsumer forFile(Path f) {
        long[] last = {0};
        return bytes -> {
            long delta = bytes - last[0];
            last[0] = bytes;
            draw(done.addAndGet(delta));
        };
    }

    private synchronized void draw(long now) {
        if (!on) {
            return;
        }
        int width = 40;
        int filled = (int) Math.min(width, now * width / total);
        err.printf("\r[%s%s] %3d%%", "#".repeat(filled), " ".repeat(width - filled), Math.min(100, now * 100 / total));
        err.flush();
    }

    public synchronized void done() {
        if (on) {
            err.print("\r" + " ".repeat(48) + "\r");
            err.flush();
        }
    }
}
