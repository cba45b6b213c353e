package dev.dmatrace.agent.runtime;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import jdk.jfr.Label;
import jdk.jfr.MetadataDefinition;
import jdk.jfr.Name;
import jdk.jfr.Relational;

/** Marks the hop-id fields so JDK Mission Control relates a hop to its parent and root across event types. */
@MetadataDefinition
@Relational
@Name("dmatrace.HopId")
@Label("Hop ID")
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface HopId {
}
