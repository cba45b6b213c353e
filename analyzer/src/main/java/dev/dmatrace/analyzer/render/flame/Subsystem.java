package dev.dmatrace.analyzer.render.flame;

import java.util.Locale;

import dev.dmatrace.analyzer.findings.Symbols;

/** The part of the kernel a function belongs to, for colouring: the file it lives in, guessed from its name. */
public enum Subsystem {
    DEVICE, DMA, CMA, ISOLATION, MIGRATION, BUDDY, OTHER;

    public static Subsystem of(String symbol) {
        return BY_SYMBOL.computeIfAbsent(symbol, Subsystem::classify);
    }

    private static final java.util.concurrent.ConcurrentHashMap<String, Subsystem> BY_SYMBOL =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static Subsystem classify(String symbol) {
        String s = symbol.toLowerCase(Locale.ROOT);
        if (s.contains("isolat")) {
            return ISOLATION;
        }
        if (s.contains("migrat") || Symbols.MIGRATE.contains(symbol)) {
            return MIGRATION;
        }
        if (s.contains("cma") || s.contains("contig")) {
            return CMA;
        }
        if (Symbols.BUDDY_ALLOC.contains(symbol)) {
            return BUDDY;
        }
        if (s.contains("dma") || s.contains("coherent") || s.contains("pool")) {
            return DMA;
        }
        if (s.contains("pages") || s.contains("rmqueue") || s.contains("buddy")) {
            return BUDDY;
        }
        return OTHER;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
