package dev.dmatrace.agent;

import dev.dmatrace.agent.runtime.FlagFormats;
import dev.dmatrace.agent.runtime.KernelValues;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntSupplier;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.annotation.AnnotationList;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;

/**
 * Decides which methods of a type become hops and what each hop captures, from the kernel annotations (read by
 * name from the class file, never loaded) and the options. This is where docs/events.md's naming rules live.
 */
final class Planner {

    static final String KERNEL_FUNCTION = "dev.dmatrace.kernel.KernelFunction";
    static final String KERNEL_FLAGS = "dev.dmatrace.kernel.KernelFlags";

    /** Field names the hop event already uses; a parameter with one of them is recorded as {@code arg_<name>}. */
    private static final Set<String> RESERVED = Set.of("hopId", "parentHopId", "rootHopId", "depth", "threw", "ret",
            "startTime", "duration", "eventThread", "stackTrace", "on", "stack");
    private static final Set<String> BYTES = Set.of("size", "bytes");
    private static final Set<String> ADDRESSES = Set.of("pfn", "base", "addr", "dma_handle", "phys");

    private final AgentOptions options;

    Planner(AgentOptions options) {
        this.options = options;
    }

    List<HopPlan> plan(TypeDescription type, ClassLoader loader) {
        List<HopPlan> plans = new ArrayList<>();
        for (MethodDescription.InDefinedShape m : type.getDeclaredMethods()) {
            if (m.isMethod() && !m.isAbstract() && !m.isNative() && !m.isBridge() && !m.isSynthetic()) {
                HopPlan plan = plan(type, m, loader);
                if (plan != null) {
                    plans.add(plan);
                }
            }
        }
        return plans;
    }

    private HopPlan plan(TypeDescription type, MethodDescription.InDefinedShape m, ClassLoader loader) {
        String code = type.getName() + "#" + m.getName();
        Probe probe = probeFor(type.getName(), m.getName());
        AnnotationDescription kf = annotation(m.getDeclaredAnnotations(), KERNEL_FUNCTION);
        String symbol = kf == null ? null : kf.getValue("symbol").resolve(String.class);
        if (probe == null) {
            if (excluded(symbol, code) || !included(symbol, code)) {
                return null;
            }
        }
        List<Capture> args = arguments(m, probe, loader);
        Capture result = probe != null && !probe.captureResult() ? null
                : capture(-1, "ret", m.getReturnType().asErasure(), null);
        if (probe != null && probe.eventName() != null) {
            String name = probe.eventName().startsWith("dmatrace.") ? probe.eventName() : "dmatrace.fn." + probe.eventName();
            return new HopPlan(m, name, probe.eventName(), code + " (probe " + probe.source() + ")",
                    List.of("dmatrace", "probe"), args, result);
        }
        if (symbol == null) {
            String name = type.getSimpleName() + "." + m.getName();
            return new HopPlan(m, "dmatrace.fn." + name, name, code, List.of("dmatrace", "probe"), args, result);
        }
        String file = kf.getValue("file").resolve(String.class);
        String description = file + ", kernel " + String.join(", ", versions(kf));
        if (symbol.startsWith("trace_")) {
            String event = symbol.substring("trace_".length());
            return new HopPlan(m, "dmatrace.tp." + event, symbol, description,
                    List.of("dmatrace", "tracepoint", tracepointSystem(file)), args, result);
        }
        return new HopPlan(m, "dmatrace.fn." + symbol, symbol, description, List.of("dmatrace", area(file)), args, result);
    }

    private Probe probeFor(String className, String methodName) {
        for (Probe p : options.probes()) {
            if (p.className().equals(className) && p.methodName().equals(methodName)) {
                return p;
            }
        }
        return null;
    }

    private boolean included(String symbol, String code) {
        if (options.includes().isEmpty()) {
            return symbol != null;
        }
        return options.includes().stream().anyMatch(g -> matches(g, symbol, code));
    }

    private boolean excluded(String symbol, String code) {
        return options.excludes().stream().anyMatch(g -> matches(g, symbol, code));
    }

    private static boolean matches(Glob g, String symbol, String code) {
        return g.namesCode() ? g.matches(code) : symbol != null && g.matches(symbol);
    }

    private static List<String> versions(AnnotationDescription kf) {
        try {
            return Arrays.asList(kf.getValue("versions").resolve(String[].class));
        } catch (RuntimeException e) {
            return List.of(); // the annotation type could not be described; the description just omits them
        }
    }

    /** {@code mm/cma.c} → mm, {@code kernel/dma/direct.c} → dma. */
    static String area(String file) {
        String[] dirs = file.split("/");
        if (dirs.length < 2) {
            return "kernel";
        }
        return dirs[0].equals("kernel") && dirs.length > 2 ? dirs[1] : dirs[0];
    }

    /** {@code include/trace/events/cma.h} → cma. */
    static String tracepointSystem(String file) {
        String base = file.substring(file.lastIndexOf('/') + 1);
        int dot = base.indexOf('.');
        return dot < 0 ? base : base.substring(0, dot);
    }

    private List<Capture> arguments(MethodDescription.InDefinedShape m, Probe probe, ClassLoader loader) {
        List<Capture> captures = new ArrayList<>();
        for (ParameterDescription.InDefinedShape p : m.getParameters()) {
            String field = probe == null ? fieldName(p.getName()) : probe.fieldFor(p.getName(), fieldName(p.getName()));
            if (field == null) {
                continue;
            }
            AnnotationDescription flags = annotation(p.getDeclaredAnnotations(), KERNEL_FLAGS);
            IntSupplier decoder = flags == null ? () -> -1
                    : () -> FlagFormats.register(flags.getValue("value").resolve(TypeDescription.class).getName(), loader);
            Capture c = capture(p.getIndex(), field, p.getType().asErasure(), decoder);
            if (c != null) {
                captures.add(c);
            }
        }
        return captures;
    }

    /** Maps a Java value to an event field (docs/events.md, "Argument fields"); {@code null} if not captured. */
    private static Capture capture(int index, String field, TypeDescription type, IntSupplier flagsDecoder) {
        String desc = type.getDescriptor();
        if (type.represents(void.class)) {
            return null;
        }
        if (type.isPrimitive()) {
            boolean integral = "JISB".contains(desc);
            int decoder = integral && flagsDecoder != null ? flagsDecoder.getAsInt() : -1;
            Capture.Content content = integral ? content(field) : null;
            return new Capture(index, field, desc, desc, desc, Capture.Conversion.NONE, content, decoder);
        }
        if (type.represents(String.class)) {
            return new Capture(index, field, desc, desc, desc, Capture.Conversion.NONE, null, -1);
        }
        if (type.isArray()) {
            return null;
        }
        Capture.Conversion conversion = type.isEnum() ? Capture.Conversion.ENUM_NAME : kernelValue(type);
        if (conversion == null) {
            return null;
        }
        Capture.Content content = conversion == Capture.Conversion.VALUE_NUMBER ? content(field) : null;
        return new Capture(index, field, desc, "Ljava/lang/Object;", conversion.fieldDesc, conversion, content, -1);
    }

    /** The conversion for a type with a {@code @KernelValue} method, found in it or a superclass. */
    private static Capture.Conversion kernelValue(TypeDescription type) {
        try {
            for (TypeDefinition t = type; t != null; t = t.getSuperClass()) {
                for (MethodDescription m : t.getDeclaredMethods()) {
                    if (m.getParameters().isEmpty() && !m.isStatic()
                            && annotation(m.getDeclaredAnnotations(), KernelValues.ANNOTATION) != null) {
                        TypeDescription r = m.getReturnType().asErasure();
                        if (r.represents(String.class)) {
                            return Capture.Conversion.VALUE_STRING;
                        }
                        if (r.represents(boolean.class)) {
                            return Capture.Conversion.VALUE_BOOLEAN;
                        }
                        return r.isPrimitive() && "JISB".contains(r.getDescriptor()) ? Capture.Conversion.VALUE_NUMBER : null;
                    }
                }
            }
        } catch (RuntimeException e) {
            return null; // a type the pool cannot describe is simply not captured
        }
        return null;
    }

    private static Capture.Content content(String field) {
        if (BYTES.contains(field) || field.endsWith("_size")) {
            return Capture.Content.BYTES;
        }
        if (ADDRESSES.contains(field) || field.endsWith("_pfn") || field.endsWith("_addr")) {
            return Capture.Content.ADDRESS;
        }
        return null;
    }

    /** {@code dmaHandle} → {@code dma_handle}, the kernel's name for the parameter. */
    static String fieldName(String javaName) {
        if (RESERVED.contains(javaName)) {
            return "arg_" + javaName;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < javaName.length(); i++) {
            char c = javaName.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(javaName.charAt(i - 1))) {
                s.append('_');
            }
            s.append(Character.toLowerCase(c));
        }
        String snake = s.toString().toLowerCase(Locale.ROOT);
        return RESERVED.contains(snake) ? "arg_" + snake : snake;
    }

    private static AnnotationDescription annotation(AnnotationList annotations, String typeName) {
        for (AnnotationDescription a : annotations) {
            if (a.getAnnotationType().getName().equals(typeName)) {
                return a;
            }
        }
        return null;
    }
}
