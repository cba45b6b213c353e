package dev.dmatrace.agent.runtime;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/** Written at the start and end of every chunk, so any chunk the analyzer salvages says which schema it holds. */
@Name("dmatrace.Schema")
@Label("dmatrace Schema")
@Description("The version of the hop-event schema (docs/events.md) this recording follows")
@Category({"dmatrace", "agent"})
@StackTrace(false)
@Period("everyChunk")
public final class SchemaEvent extends Event {

    /** Bump when a field of the contract in docs/events.md changes meaning or disappears. */
    public static final int VERSION = 1;

    @Label("Schema Version")
    public int schemaVersion;

    @Label("Agent Version")
    public String agentVersion;
}
