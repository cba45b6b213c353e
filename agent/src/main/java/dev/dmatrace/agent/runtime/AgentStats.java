package dev.dmatrace.agent.runtime;

import java.util.concurrent.atomic.AtomicLong;

/** What the agent did, for the {@code dmatrace.AgentStats} event. */
public final class AgentStats {

    public static final AtomicLong CLASSES_TRANSFORMED = new AtomicLong();
    public static final AtomicLong METHODS_INSTRUMENTED = new AtomicLong();

    private AgentStats() {
    }
}
