package dev.dmatrace.analyzer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import dev.dmatrace.analyzer.Progress;
import dev.dmatrace.analyzer.render.flame.DiffFolded;
import dev.dmatrace.analyzer.render.flame.DiffHtml;
import dev.dmatrace.analyzer.render.flame.Weight;
import dev.dmatrace.analyzer.render.report.RecordingViews;

@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Differential flame graph of two recordings (before, after): diff.html (red grew, blue "
                + "shrank, yellow new) and diff.folded ('stack before after', as difffolded.pl writes it)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "2:bad input"})
final class DiffCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "REC_A", description = "the recording before")
    Path before;

    @Parameters(index = "1", paramLabel = "REC_B", description = "the recording after")
    Path after;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: the current one)")
    Path out = Path.of(".");

    @Option(names = "--weight", paramLabel = "WEIGHT", defaultValue = "total",
            description = "what diff.folded counts: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Weight weight;

    @Override
    public Integer call() throws IOException {
        Progress progress = Progress.forFiles(List.of(before, after));
        RecordingViews a = RecordingViews.read(before, progress.forFile(before));
        RecordingViews b = RecordingViews.read(after, progress.forFile(after));
        progress.done();
        int code = Math.max(Problems.report(a.stream().read()), Problems.report(b.stream().read()));
        if (a.stream().read().fatal() || b.stream().read().fatal()) {
            return code;
        }
        Files.createDirectories(out);
        try (PrintWriter w = ReportCommand.writer(out.resolve("diff.folded"))) {
            DiffFolded.write(a.frames().root(), b.frames().root(), weight, w);
        }
        String title = before.getFileName() + " → " + after.getFileName();
        Files.writeString(out.resolve("diff.html"), DiffHtml.page(title, a.frames().root(), b.frames().root()),
                StandardCharsets.UTF_8);
        System.out.println(out);
        return code;
    }
}
