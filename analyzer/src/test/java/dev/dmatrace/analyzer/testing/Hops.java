package dev.dmatrace.analyzer.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.dmatrace.analyzer.read.Hop;
import dev.dmatrace.analyzer.read.ReadSummary;
import dev.dmatrace.analyzer.read.RecordingReader;

/** Reads every hop of a recording into a list (tests only: the analyzer itself never holds them all). */
public final class Hops {
    private Hops() {}

    public record All(List<Hop> hops, ReadSummary summary) {}

    public static All read(Path file) {
        List<Hop> hops = new ArrayList<>();
        ReadSummary s = RecordingReader.read(file, hops::add, b -> { });
        return new All(hops, s);
    }
}
