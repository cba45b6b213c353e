package dev.dmatrace.agent.runtime;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** The one place an error inside the agent goes: counted always, reported once on stderr, never thrown. */
public final class AgentErrors {

    private static final AtomicLong COUNT = new AtomicLong();
    private static final AtomicBoolean REPORTED = new AtomicBoolean();

    private AgentErrors() {
    }

    public static void report(Throwable t) {
        COUNT.incrementAndGet();
        if (REPORTED.compareAndSet(false, true)) {
            System.err.println("dmatrace agent: internal error, counted in dmatrace.AgentStats (further ones are not printed): " + t);
        }
    }

    public static long count() {
        return COUNT.get();
    }
}
