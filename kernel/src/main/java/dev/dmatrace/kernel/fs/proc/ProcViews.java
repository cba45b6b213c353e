package dev.dmatrace.kernel.fs.proc;

import dev.dmatrace.kernel.boot.Machine;
import dev.dmatrace.kernel.mm.Vmstat;
import java.util.List;

/** The /proc files the port renders, by name, as {@code cat /proc/NAME} prints them. */
public final class ProcViews {

    public static final List<String> NAMES = List.of("buddyinfo", "pagetypeinfo", "meminfo", "vmstat");

    private ProcViews() {
    }

    /** The text of /proc/{@code name}; {@code name} is one of {@link #NAMES}. */
    public static String read(Machine m, String name) {
        return switch (name) {
            case "buddyinfo" -> new Vmstat(m.pageAlloc()).buddyinfo();
            case "pagetypeinfo" -> new Vmstat(m.pageAlloc()).pagetypeinfo();
            case "meminfo" -> new Meminfo(m.pageAlloc()).show();
            case "vmstat" -> new Vmstat(m.pageAlloc()).vmstat();
            default -> throw new IllegalArgumentException(name);
        };
    }
}
