package dev.dmatrace.analyzer.read;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What reading one recording found besides the hops: its shape, the agent's own events, and what was lost.
 * {@code notes} says how the reading went where that is worth knowing but nothing is wrong (a chunk read with
 * {@code RecordingFile} because the fast decoder does not handle it). {@code agentStats} iterates by name, so the
 * summary and the JSON list them in the same order on every run.
 */
public record ReadSummary(
        String path,
        long fileBytes,
        int chunksRead,
        int chunksDamaged,
        long bytesLost,
        long hops,
        int schemaVersion,
        String agentVersion,
        Map<String, Long> agentStats,
        long dataLossBytes,
        List<Problem> problems,
        List<String> notes) {

    public ReadSummary {
        agentStats = Collections.unmodifiableSortedMap(new TreeMap<>(agentStats));
    }

    public boolean fatal() {
        return problems.stream().anyMatch(Problem::fatal);
    }
}
