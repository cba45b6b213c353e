package dev.dmatrace.analyzer.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import dev.dmatrace.analyzer.Analyzer;
import dev.dmatrace.analyzer.Progress;
import dev.dmatrace.analyzer.RecordingAnalysis;
import dev.dmatrace.analyzer.render.JsonReport;
import dev.dmatrace.analyzer.render.TextSummary;
import dev.dmatrace.analyzer.render.flame.FlameHtml;
import dev.dmatrace.analyzer.render.flame.Folded;
import dev.dmatrace.analyzer.render.flame.Weight;
import dev.dmatrace.analyzer.render.report.RecordingViews;
import dev.dmatrace.analyzer.render.report.ReportHtml;
import dev.dmatrace.analyzer.render.report.Speedscope;
import dev.dmatrace.analyzer.render.report.TraceEvents;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Writes the pictures of one recording into a directory: report.html (verdicts, findings, "
                + "flame graph, timelines), flame.html, stacks.folded, speedscope.json, trace.json (Chrome/Perfetto) "
                + "and analysis.json."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "2:bad input"})
final class ReportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "REC", description = "the recording")
    Path recording;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: the recording's own)")
    Path out;

    @Option(names = "--weight", paramLabel = "WEIGHT", defaultValue = "total",
            description = "what stacks.folded counts: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Weight weight;

    @Override
    public Integer call() throws IOException {
        return write(recording, out != null ? out : defaultDir(recording), weight, null);
    }

    /**
     * Analyses {@code recording} and writes every picture of it into {@code dir}; {@code summary}, when given,
     * also receives the text summary. Returns the exit code of the recording's input problems.
     */
    static int write(Path recording, Path dir, Weight weight, PrintWriter summary) throws IOException {
        Progress progress = Progress.forFiles(List.of(recording, recording));
        RecordingAnalysis analysis = Analyzer.analyze(recording, progress.forFile(recording));
        if (analysis.recording().fatal()) {
            progress.done();
            return Problems.report(analysis.recording());
        }
        RecordingViews views = RecordingViews.read(recording, progress.forFile(recording));
        progress.done();
        Files.createDirectories(dir);
        String title = recording.getFileName().toString();
        try (OutputStream os = Files.newOutputStream(dir.resolve("analysis.json"))) {
            JsonReport.write(List.of(analysis), os);
        }
        try (PrintWriter w = writer(dir.resolve("stacks.folded"))) {
            Folded.write(views.frames().root(), weight, w);
        }
        try (OutputStream os = Files.newOutputStream(dir.resolve("speedscope.json"))) {
            Speedscope.write(title, views, os);
        }
        try (OutputStream os = Files.newOutputStream(dir.resolve("trace.json"))) {
            TraceEvents.write(title, views, os);
        }
        Files.writeString(dir.resolve("flame.html"), FlameHtml.page(title + " — flame graph", views.frames().root()),
                StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("report.html"), ReportHtml.page(title, analysis, views), StandardCharsets.UTF_8);
        if (summary != null) {
            try (PrintStream text = new PrintStream(Files.newOutputStream(dir.resolve("summary.txt")), true,
                    StandardCharsets.UTF_8)) {
                new TextSummary(text).print(analysis);
            }
            summary.print(Files.readString(dir.resolve("summary.txt")));
            summary.flush();
        } else {
            System.out.println(dir);
        }
        return Problems.report(analysis.recording());
    }

    static PrintWriter writer(Path file) throws IOException {
        return new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }

    private static Path defaultDir(Path rec) {
        return rec.toAbsolutePath().getParent();
    }
}
