package dev.dmatrace.analyzer.render.flame;

import java.util.Locale;

/**
 * What a frame's width measures. TOTAL: time inside the call; SELF: time in the function itself, stacks read
 * from the leaf (async-profiler's {@code --reverse}), so the widest base frames are where the time goes; CALLS:
 * how often; BYTES: bytes requested.
 */
public enum Weight {
    TOTAL, SELF, CALLS, BYTES;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
