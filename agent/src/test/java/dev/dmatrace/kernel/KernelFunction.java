package dev.dmatrace.kernel;

// Test copy (same name, same members) for the forked fixture program: the agent matches by name only.

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The kernel identity of a ported method: the C symbol it follows, the source file that symbol lives in,
 * and the kernel versions whose behaviour the method reproduces.
 *
 * <p>This annotation is the contract with the agent, which matches it <em>by name</em>
 * ({@code dev.dmatrace.kernel.KernelFunction}) and never links against this module. Every call of an
 * annotated method becomes one hop in the recording. A tracepoint is an ordinary method annotated with its
 * {@code trace_<event>} symbol and the header that defines it (e.g. {@code include/trace/events/cma.h});
 * its parameters are the tracepoint's fields, in {@code TP_STRUCT__entry} order.
 *
 * <p>Captured arguments are named after the Java parameters (the port is compiled with {@code -parameters}),
 * which are the kernel's parameter names in camelCase ({@code dmaHandle} for {@code dma_handle}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.CONSTRUCTOR})
public @interface KernelFunction {

    /** The kernel symbol, exactly as in C: {@code cma_alloc}, {@code __rmqueue_smallest}, {@code trace_cma_alloc_start}. */
    String symbol();

    /** The kernel source file of that symbol, relative to the tree root: {@code mm/cma.c}. */
    String file();

    /** The kernel versions this method follows; where they differ, the method says so in a comment. */
    String[] versions() default {"4.4", "5.10", "6.1"};
}
