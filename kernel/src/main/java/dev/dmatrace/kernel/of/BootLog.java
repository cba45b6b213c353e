package dev.dmatrace.kernel.of;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernel log of the boot front end: each printk as a level and its final text (pr_fmt applied, trailing
 * newline dropped). A message with an inner newline, like {@code OVERLAP DETECTED!}, stays one entry.
 */
public final class BootLog {

    public enum Level { ERR, WARNING, NOTICE, INFO, DEBUG }

    public record Line(Level level, String text) {
        @Override
        public String toString() {
            return "<" + level + "> " + text;
        }
    }

    private final List<Line> lines = new ArrayList<>();

    public void log(Level level, String text) {
        lines.add(new Line(level, text));
    }

    public void err(String text) {
        log(Level.ERR, text);
    }

    public void warn(String text) {
        log(Level.WARNING, text);
    }

    public void notice(String text) {
        log(Level.NOTICE, text);
    }

    public void info(String text) {
        log(Level.INFO, text);
    }

    /** pr_debug: compiled out in a normal kernel, kept here at DEBUG level for the curious. */
    public void debug(String text) {
        log(Level.DEBUG, text);
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    /** The texts a default {@code loglevel} console shows: everything but DEBUG. */
    public List<String> texts() {
        return lines.stream().filter(l -> l.level() != Level.DEBUG).map(Line::text).toList();
    }

    @Override
    public String toString() {
        return String.join("\n", lines.stream().map(Line::toString).toList());
    }
}
