package dev.dmatrace.analyzer.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
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
import dev.dmatrace.analyzer.findings.Severity;
import dev.dmatrace.analyzer.read.Problem;
import dev.dmatrace.analyzer.render.JsonReport;
import dev.dmatrace.analyzer.render.TextSummary;

@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Summarises recordings: allocation paths, findings with example trees, slowest allocations.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:a finding at or above --fail-on", "2:bad input"})
final class AnalyzeCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "REC", description = "recordings: .jfr files, directories, globs")
    List<String> recordings;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the whole analysis as JSON ('-' = stdout)")
    String json;

    @Option(names = "--fail-on", paramLabel = "SEVERITY",
            description = "exit 1 when a finding is at least this severe: ${COMPLETION-CANDIDATES}")
    Severity failOn;

    @Override
    public Integer call() throws IOException {
        List<Path> files = Inputs.resolve(recordings);
        List<RecordingAnalysis> all = Analyzer.analyzeAll(files, Progress.forFiles(files));
        PrintStream out = System.out;
        boolean toStdout = "-".equals(json);
        if (!toStdout) {
            TextSummary text = new TextSummary(out);
            all.forEach(text::print);
        }
        if (json != null) {
            if (toStdout) {
                JsonReport.write(all, out);
                out.println();
            } else {
                try (OutputStream os = Files.newOutputStream(Path.of(json))) {
                    JsonReport.write(all, os);
                }
            }
        }
        return exitCode(all, failOn);
    }

    static int exitCode(List<RecordingAnalysis> all, Severity failOn) {
        boolean bad = false;
        for (RecordingAnalysis a : all) {
            for (Problem p : a.recording().problems()) {
                if (p.fatal()) {
                    System.err.printf("dmatrace: %s: %s%n", a.recording().path(), p.message());
                    bad = true;
                }
            }
        }
        if (bad) {
            return AnalyzerMain.BAD_INPUT;
        }
        if (failOn != null && all.stream().anyMatch(a -> a.worstSeverity() != null
                && a.worstSeverity().atLeast(failOn))) {
            return AnalyzerMain.FINDINGS;
        }
        return AnalyzerMain.OK;
    }
}
