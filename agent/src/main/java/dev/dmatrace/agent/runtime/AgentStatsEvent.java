package dev.dmatrace.agent.runtime;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/** The agent's own counters, cumulative since it started. */
@Name("dmatrace.AgentStats")
@Label("dmatrace Agent Statistics")
@Description("Cumulative since the agent started")
@Category({"dmatrace", "agent"})
@StackTrace(false)
@Period("everyChunk")
public final class AgentStatsEvent extends Event {

    @Label("Classes Transformed")
    public long classesTransformed;

    @Label("Methods Instrumented")
    public long methodsInstrumented;

    @Label("Hops Emitted")
    public long hopsEmitted;

    @Label("Agent Errors")
    @Description("Errors inside the agent, swallowed so the program never sees them")
    public long errors;
}
