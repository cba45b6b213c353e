package dev.dmatrace.analyzer.render.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.dmatrace.analyzer.RecordingAnalysis;
import dev.dmatrace.analyzer.findings.Allocation;
import dev.dmatrace.analyzer.findings.CmaCall;
import dev.dmatrace.analyzer.render.flame.FlameData;

/**
 * Everything report.html draws, as one JSON document: the analysis as analysis.json has it, the flame graph, and
 * each thread's allocations in time order for the timeline and plots, and the CMA areas' memory over time (times
 * in ns from the recording's first call), and /proc/buddyinfo before and after.
 */
public record ReportData(String title, RecordingAnalysis analysis, FlameData flame, List<ThreadRow> threads,
                         List<CmaMap> cma, BuddyInfo buddyinfo) {

    public record ThreadRow(String thread, List<Alloc> allocations) {}

    /** One driver allocation: when, how long, for whom, where it was served and how it went. */
    public record Alloc(long hopId, long start, long duration, String device, Long size, String path, String where,
                        String outcome, int busyRetries) {}

    public static ReportData of(String title, RecordingAnalysis analysis, RecordingViews views) {
        long t0 = Slices.origin(views);
        List<ThreadRow> rows = new ArrayList<>();
        for (Map.Entry<String, List<RecordingViews.TreeOutcome>> e : views.byThread().entrySet()) {
            List<Alloc> allocs = new ArrayList<>();
            for (RecordingViews.TreeOutcome t : e.getValue()) {
                for (Allocation a : t.facts().allocations()) {
                    int busy = 0;
                    for (CmaCall c : CmaCall.in(a.node())) {
                        busy += c.busyPfns().size();
                    }
                    allocs.add(new Alloc(a.hopId(), a.hop().startNanos() - t0, a.durationNanos(), a.device(),
                            a.size() < 0 ? null : a.size(), a.path().name().toLowerCase(java.util.Locale.ROOT),
                            a.where(), t.of(a.hopId()).name().toLowerCase(java.util.Locale.ROOT), busy));
                }
            }
            if (!allocs.isEmpty()) {
                rows.add(new ThreadRow(e.getKey(), allocs));
            }
        }
        return new ReportData(title, analysis, FlameData.of(title, views.frames().root()), rows,
                CmaMap.of(views), BuddyInfo.of(views));
    }
}
