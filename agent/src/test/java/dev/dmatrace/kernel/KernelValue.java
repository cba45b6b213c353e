package dev.dmatrace.kernel;

// Test copy (same name, same members) for the forked fixture program: the agent matches by name only.

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the one public no-argument method of a port type that stands for the whole object when the agent
 * captures it as an argument or a result: {@code dev_name(dev)} for a device, the area name for a
 * {@code struct cma}. The method returns a primitive or a {@code String} and never throws.
 * Matched by the agent by name, like {@link KernelFunction}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface KernelValue {
}
