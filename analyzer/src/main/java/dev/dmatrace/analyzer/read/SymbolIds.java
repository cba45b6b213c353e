package dev.dmatrace.analyzer.read;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Small dense ids for symbol names, the same in every recording and thread: a decoder resolves an event type's
 * symbol once, and everything after it can classify a hop by an array index instead of hashing its name.
 */
public final class SymbolIds {
    private static final ConcurrentHashMap<String, Integer> IDS = new ConcurrentHashMap<>();
    private static final AtomicInteger NEXT = new AtomicInteger();

    private SymbolIds() {}

    /** The id of {@code symbol}, assigned on first use. */
    public static int of(String symbol) {
        Integer id = IDS.get(symbol);
        return id != null ? id : IDS.computeIfAbsent(symbol, s -> NEXT.getAndIncrement());
    }
}
