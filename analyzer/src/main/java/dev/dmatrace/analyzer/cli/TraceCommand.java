package dev.dmatrace.analyzer.cli;

import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import dev.dmatrace.analyzer.Analyzer;
import dev.dmatrace.analyzer.Progress;
import dev.dmatrace.analyzer.render.FunctionGraph;

@Command(name = "trace", mixinStandardHelpOptions = true,
        description = {"Every call tree of a recording as ftrace function_graph text, tracepoints as tracefs "
                + "comment lines, trees in the order they completed."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "2:bad input"})
final class TraceCommand implements Callable<Integer> {

    @Parameters(paramLabel = "REC", description = "the recording")
    Path recording;

    @Override
    public Integer call() {
        PrintStream out = new PrintStream(new BufferedOutputStream(System.out, 1 << 16), false);
        FunctionGraph g = new FunctionGraph(out);
        g.header();
        Progress progress = Progress.forFiles(List.of(recording));
        Analyzer.TreeStream s = Analyzer.trees(recording, g::tree, progress.forFile(recording));
        out.flush();
        progress.done();
        return Problems.report(s.read());
    }
}
