package dev.dmatrace.analyzer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code dmatrace analyze|tree|trace}: the analyzer's executable jar. Exit codes: 0 ok, 1 a finding at or above
 * {@code --fail-on}, 2 bad input (a one-line message per problem, never a stack trace).
 */
@Command(name = "dmatrace", mixinStandardHelpOptions = true, version = "dmatrace analyzer 0.1.0",
        description = "Analyses dmatrace JFR recordings offline.",
        subcommands = {AnalyzeCommand.class, TreeCommand.class, TraceCommand.class, ReportCommand.class,
            DiffCommand.class, RunCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:a finding at or above --fail-on", "2:bad input (or bad usage)"})
public final class AnalyzerMain implements Runnable {
    public static final int OK = 0;
    public static final int FINDINGS = 1;
    public static final int BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: run, analyze, tree, trace, report or diff");
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests). */
    public static int run(String... args) {
        return new CommandLine(new AnalyzerMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }
}
