package dev.dmatrace.agent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The text after {@code -javaagent:dmatrace-agent.jar=}: comma-separated {@code key=value} pairs.
 * Anything it does not understand becomes one warning line; the program runs regardless.
 */
record AgentOptions(List<Glob> includes, List<Glob> excludes, List<Probe> probes, Path record, String settings,
                    String threshold, boolean verbose) {

    static final String HELP = "options: include=PATTERN|PATTERN  exclude=PATTERN|PATTERN  probes=FILE  record=FILE.jfr"
            + "  settings=default|profile|FILE.jfc  threshold=DURATION (e.g. 10us)  verbose=true";

    static AgentOptions parse(String text, Consumer<String> warn) {
        List<Glob> includes = new ArrayList<>();
        List<Glob> excludes = new ArrayList<>();
        List<Probe> probes = new ArrayList<>();
        Path record = null;
        String settings = null;
        String threshold = null;
        boolean verbose = false;
        for (String option : text == null || text.isBlank() ? new String[0] : text.split(",")) {
            int eq = option.indexOf('=');
            String key = eq < 0 ? option.trim() : option.substring(0, eq).trim();
            String value = eq < 0 ? "" : option.substring(eq + 1).trim();
            if (value.isEmpty()) {
                warn.accept("option '" + option + "' has no value, ignored (" + HELP + ")");
                continue;
            }
            switch (key) {
                case "include" -> globs(value, includes);
                case "exclude" -> globs(value, excludes);
                case "probes" -> probes.addAll(Probe.read(Path.of(value), warn));
                case "record" -> record = Path.of(value);
                case "settings" -> settings = value;
                case "threshold" -> threshold = duration(value, warn);
                case "verbose" -> verbose = Boolean.parseBoolean(value);
                default -> warn.accept("unknown option '" + key + "' ignored (" + HELP + ")");
            }
        }
        if (settings != null && record == null) {
            warn.accept("settings=" + settings + " applies only with record=FILE.jfr; ignored");
        }
        return new AgentOptions(List.copyOf(includes), List.copyOf(excludes), List.copyOf(probes), record, settings, threshold, verbose);
    }

    private static void globs(String value, List<Glob> into) {
        for (String p : value.split("\\|")) {
            if (!p.isBlank()) {
                into.add(Glob.of(p.trim()));
            }
        }
    }

    /** {@code 10us} or {@code 10 us} → JFR's {@code "10 us"}; anything else is a warning and no threshold. */
    private static String duration(String value, Consumer<String> warn) {
        var m = java.util.regex.Pattern.compile("(\\d+)\\s*(ns|us|ms|s)").matcher(value);
        if (!m.matches()) {
            warn.accept("threshold=" + value + " is not a duration like 10us; ignored");
            return null;
        }
        return m.group(1) + " " + m.group(2);
    }
}
