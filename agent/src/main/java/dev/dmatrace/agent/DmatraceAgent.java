package dev.dmatrace.agent;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.named;

import dev.dmatrace.agent.runtime.AgentErrors;
import dev.dmatrace.agent.runtime.HopTypes;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.AgentBuilder.RedefinitionStrategy;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.Nexus;
import net.bytebuddy.dynamic.loading.ClassInjector;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.utility.JavaModule;

/**
 * Entry points of the {@code -javaagent} and of {@code dmatrace attach}. The one place the {@link AgentBuilder}
 * is built: what is matched, what is ignored, how already-loaded classes are retransformed.
 */
public final class DmatraceAgent {

    private static final AtomicBoolean INSTALLED = new AtomicBoolean();
    private static final Consumer<String> WARN = message -> System.err.println("dmatrace agent: " + message);

    private DmatraceAgent() {
    }

    public static void premain(String arguments, Instrumentation inst) {
        install(arguments, inst, false);
    }

    public static void agentmain(String arguments, Instrumentation inst) {
        install(arguments, inst, true);
    }

    private static void install(String arguments, Instrumentation inst, boolean attached) {
        if (!INSTALLED.compareAndSet(false, true)) {
            WARN.accept("already installed in this JVM; options '" + arguments + "' ignored");
            return;
        }
        try {
            keepByteBuddyOffUnsafe();
            AgentOptions options = AgentOptions.parse(arguments, WARN);
            ProbeCheck.warnUnmatched(options.probes(), WARN);
            HopTypes.install(version());
            builder(options, attached).installOn(inst);
            if (options.record() != null) {
                SelfRecording.start(options.record(), options.settings(), WARN);
            }
        } catch (Throwable t) {
            AgentErrors.report(t);
        }
    }

    private static AgentBuilder builder(AgentOptions options, boolean attached) {
        AgentBuilder frozen = new AgentBuilder.Default().disableClassFormatChanges(); // bodies only: retransformable
        if (attached) {
            // retransformation stops the world: small batches with pauses keep a big attach from stalling
            frozen = frozen.with(RedefinitionStrategy.RETRANSFORMATION)
                    .with(RedefinitionStrategy.BatchAllocator.ForFixedSize.ofSize(100))
                    .with(RedefinitionStrategy.Listener.Pausing.of(50, TimeUnit.MILLISECONDS))
                    .with(new RedefinitionStrategy.Listener.Adapter() {
                        @Override
                        public Iterable<? extends List<Class<?>>> onError(int index, List<Class<?>> batch, Throwable t,
                                                                           List<Class<?>> types) {
                            AgentErrors.report(t);
                            return List.of();
                        }
                    });
        }
        // at premain only JDK classes are loaded (all ignored): nothing to retransform, so no scan of them
        return frozen
                .with(new AgentBuilder.Listener.Adapter() {
                    @Override
                    public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable t) {
                        AgentErrors.report(t);
                    }
                })
                .with(options.verbose() ? AgentBuilder.Listener.StreamWriting.toSystemError().withTransformationsOnly()
                        : AgentBuilder.Listener.NoOp.INSTANCE)
                .ignore(Ignores.matcher())
                .type(typeMatcher(options))
                .transform(new HopTransformer(new Planner(options), options.threshold(), WARN));
    }

    private static ElementMatcher.Junction<TypeDescription> typeMatcher(AgentOptions options) {
        ElementMatcher.Junction<TypeDescription> m = declaresMethod(isAnnotatedWith(named(Planner.KERNEL_FUNCTION)));
        for (Glob g : options.includes()) {
            if (g.namesCode()) {
                Glob classes = g.classPart();
                m = m.or(new ElementMatcher.Junction.AbstractBase<TypeDescription>() {
                    @Override
                    public boolean matches(TypeDescription t) {
                        return classes.matches(t.getName());
                    }
                });
            }
        }
        for (Probe p : options.probes()) {
            m = m.or(ElementMatchers.named(p.className()));
        }
        return m;
    }

    /**
     * The agent defines its classes through a lookup and needs neither Byte Buddy's nexus nor its Unsafe-based
     * injectors; switching them off keeps JDK 24+ from warning about sun.misc.Unsafe. The property names are
     * relocated with Byte Buddy, so a program's own Byte Buddy never sees them.
     */
    private static void keepByteBuddyOffUnsafe() {
        for (String property : new String[] {Nexus.PROPERTY, ClassInjector.UsingUnsafe.SAFE_PROPERTY}) {
            if (System.getProperty(property) == null) {
                System.setProperty(property, "true");
            }
        }
    }

    static String version() {
        try (InputStream in = DmatraceAgent.class.getResourceAsStream("agent.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
