package dev.dmatrace.analyzer.cli;

import dev.dmatrace.analyzer.read.Problem;
import dev.dmatrace.analyzer.read.ReadSummary;

/** Input problems on stderr, one line each, and the exit code they imply. */
final class Problems {
    private Problems() {}

    static int report(ReadSummary r) {
        for (Problem p : r.problems()) {
            System.err.printf("dmatrace: %s: %s%s%n", r.path(), p.fatal() ? "" : "warning: ", p.message());
        }
        return r.fatal() ? AnalyzerMain.BAD_INPUT : AnalyzerMain.OK;
    }
}
