package dev.dmatrace.kernel;

// Test copy (same name, same members) for the forked fixture program: the agent matches by name only.

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a numeric parameter that is a set of kernel flags ({@code gfp_t}, DMA attrs), so the agent records it
 * both as a number and as the kernel's symbolic text ({@code GFP_KERNEL|__GFP_NOWARN}). The decoder class has a
 * {@code public static String format(long flags)} method. Matched by the agent by name, like {@link KernelFunction}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface KernelFlags {

    /** The class whose {@code static String format(long)} renders these flags the way the kernel prints them. */
    Class<?> value();
}
