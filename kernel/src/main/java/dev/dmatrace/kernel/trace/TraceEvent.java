package dev.dmatrace.kernel.trace;

/**
 * One tracepoint of a machine ({@code events/<system>/<name>}), with its {@code enable} switch. A tracepoint
 * method tests {@link #enabled} first and returns, so a disabled event costs one field read.
 */
public final class TraceEvent {

    private final Tracing tracing;
    private final String system;
    private final String name;
    /** events/SYSTEM/NAME/enable. */
    public volatile boolean enabled;

    TraceEvent(Tracing tracing, String system, String name) {
        this.tracing = tracing;
        this.system = system;
        this.name = name;
    }

    public String system() {
        return system;
    }

    public String name() {
        return name;
    }

    /** Appends one line with this event's TP_printk output; {@code irqsOff} sets the 'd' flag column. */
    public void emit(boolean irqsOff, String fields) {
        tracing.write(name, irqsOff, fields);
    }

    /** {@code %p} of a {@code struct page *} as the kernel prints it: hashed, 0 for NULL. */
    public String page(long pfn) {
        return tracing.hashedPagePointer(pfn);
    }
}
