package dev.dmatrace.agent;

import java.util.List;
import net.bytebuddy.description.method.MethodDescription;

/**
 * What the agent does to one method: the event type it emits and the values it captures.
 *
 * @param result the captured result, or {@code null} (void, or a type that is not captured)
 */
record HopPlan(MethodDescription.InDefinedShape method, String eventName, String label, String description,
               List<String> category, List<Capture> arguments, Capture result) {

    String enterDescriptor() {
        StringBuilder d = new StringBuilder("(");
        arguments.forEach(c -> d.append(c.passDesc()));
        return d.append(")").append(EventClassWriter.HOP_EVENT_DESC).toString();
    }

    String exitDescriptor() {
        return "(" + (result == null ? "" : result.passDesc()) + EventClassWriter.HOP_EVENT_DESC + ")V";
    }
}
