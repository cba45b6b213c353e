package dev.dmatrace.analyzer.render.flame;

/**
 * What a frame's width measures. TOTAL: time inside the call; SELF: time in the function itself, stacks read
 * from the leaf (async-profiler's {@code --reverse}), so the widest base frames are where the time goes; CALLS:
 * how often; BYTES: bytes requested.
 */
public enum Weight {
    TOTAL, SELF, CALLS, BYTES
}
