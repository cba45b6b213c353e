package dev.dmatrace.analyzer.render.report;

import dev.dmatrace.analyzer.RecordingAnalysis;
import dev.dmatrace.analyzer.render.html.Html;

/** report.html: one self-contained page with the verdicts, the findings, the flame graph and the plots. */
public final class ReportHtml {
    private ReportHtml() {}

    public static String page(String title, RecordingAnalysis analysis, RecordingViews views) {
        return Html.fill(Html.resource("report.html"),
                "title", Html.escape(title),
                "css", Html.resource("flame.css") + Html.resource("report.css"),
                "script", Html.resource("flame.js") + Html.resource("report.js"),
                "data", Html.json(ReportData.of(title, analysis, views)));
    }
}
