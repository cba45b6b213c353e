package dev.dmatrace.analyzer.read;

import java.util.List;
import java.util.Map;

/** What reading one recording found besides the hops: its shape, the agent's own events, and what was lost. */
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
        List<Problem> problems) {

    public boolean fatal() {
        return problems.stream().anyMatch(Problem::fatal);
    }
}
