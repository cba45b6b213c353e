package dev.dmatrace.agent;

import static net.bytebuddy.matcher.ElementMatchers.hasDescriptor;
import static net.bytebuddy.matcher.ElementMatchers.named;

import dev.dmatrace.agent.runtime.AgentErrors;
import dev.dmatrace.agent.runtime.AgentStats;
import dev.dmatrace.agent.runtime.HopEvent;
import dev.dmatrace.agent.runtime.HopTypes;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.utility.JavaModule;

/**
 * Turns a matched type's planned methods into hops: defines each method's event class once (per loader), then
 * weaves the calls into the method body. A loader that cannot see the agent's runtime classes is skipped with
 * one warning, since the woven code could not link.
 */
final class HopTransformer implements AgentBuilder.Transformer {

    private final Planner planner;
    private final String threshold;
    private final Consumer<String> warn;
    /** Event class per loader and method, so a retransformation reuses the class it defined the first time. */
    private final Map<ClassLoader, Map<String, String>> eventClasses = Collections.synchronizedMap(new WeakHashMap<>());
    private final Map<ClassLoader, Boolean> blindLoaders = Collections.synchronizedMap(new WeakHashMap<>());

    HopTransformer(Planner planner, String threshold, Consumer<String> warn) {
        this.planner = planner;
        this.threshold = threshold;
        this.warn = warn;
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader,
                                            JavaModule module, ProtectionDomain protectionDomain) {
        List<HopPlan> plans = planner.plan(type, loader);
        if (plans.isEmpty()) {
            return builder;
        }
        if (!seesAgent(loader)) {
            if (loader != null && blindLoaders.putIfAbsent(loader, Boolean.TRUE) == null) {
                warn.accept("class loader " + loader + " cannot see the agent; its classes (e.g. " + type.getName()
                        + ") are not traced");
            }
            return builder;
        }
        AsmVisitorWrapper.ForDeclaredMethods weave = new AsmVisitorWrapper.ForDeclaredMethods()
                .writerFlags(ClassWriter.COMPUTE_FRAMES);
        int woven = 0;
        for (HopPlan plan : plans) {
            String eventClass = eventClass(plan, type, loader);
            if (eventClass != null) {
                weave = weave.method(named(plan.method().getName()).and(hasDescriptor(plan.method().getDescriptor())),
                        new HopWeaver(eventClass, plan));
                woven++;
            }
        }
        AgentStats.CLASSES_TRANSFORMED.incrementAndGet();
        AgentStats.METHODS_INSTRUMENTED.addAndGet(woven);
        return builder.visit(weave);
    }

    private String eventClass(HopPlan plan, TypeDescription type, ClassLoader loader) {
        String key = type.getName() + "#" + plan.method().getName() + plan.method().getDescriptor();
        return eventClasses.computeIfAbsent(loader, l -> new ConcurrentHashMap<>()).computeIfAbsent(key, k -> {
            String name = EventClassWriter.newInternalName(plan.eventName());
            try {
                HopTypes.define(EventClassWriter.write(name, plan, threshold));
                return name;
            } catch (Throwable t) {
                AgentErrors.report(t);
                return null;
            }
        });
    }

    private static boolean seesAgent(ClassLoader loader) {
        try {
            return Class.forName(HopEvent.class.getName(), false, loader) == HopEvent.class;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
