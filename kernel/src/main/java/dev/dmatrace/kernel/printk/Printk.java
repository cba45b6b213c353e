package dev.dmatrace.kernel.printk;

import dev.dmatrace.kernel.sched.Current;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel log buffer of one machine ({@code dmesg}): {@code pr_warn}, {@code pr_info} and the first line
 * of a {@code WARN()} land here as plain lines, without the timestamp prefix.
 */
public final class Printk {

    private final List<String> lines = new ArrayList<>();

    public synchronized void log(String line) {
        lines.add(line);
    }

    /**
     * A kernel {@code WARN()}: with CONFIG_GENERIC_BUG the message ({@code __warn_printk}) comes first, then the
     * first line of {@code __warn()}. The port has no instruction addresses, so the location is file and function.
     */
    public synchronized void warn(String file, String function, String message) {
        if (message != null) {
            lines.add(message);
        }
        lines.add(String.format("WARNING: CPU: %d PID: %d at %s %s", Current.smpProcessorId(), Current.pid(), file,
                function));
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
