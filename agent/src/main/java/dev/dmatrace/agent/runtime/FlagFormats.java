package dev.dmatrace.agent.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Renders a {@code @KernelFlags} argument as the kernel prints it, through the decoder's
 * {@code static String format(long)} found once through the instrumented class's loader. The last text is
 * memoised per argument: flags repeat, and handing JFR the same String keeps the recording small.
 */
public final class FlagFormats {

    private static final CopyOnWriteArrayList<Decoder> DECODERS = new CopyOnWriteArrayList<>();

    private FlagFormats() {
    }

    /** Registers a decoder at transform time and returns the id the generated event class embeds. */
    public static int register(String decoderClass, ClassLoader loader) {
        synchronized (DECODERS) {
            DECODERS.add(new Decoder(decoderClass, loader));
            return DECODERS.size() - 1;
        }
    }

    public static String text(int decoder, long flags) {
        return DECODERS.get(decoder).text(flags);
    }

    private static final class Decoder {
        private final String className;
        private final WeakReference<ClassLoader> loader;
        private volatile MethodHandle format;
        private volatile boolean failed;
        private volatile Memo last;

        Decoder(String className, ClassLoader loader) {
            this.className = className;
            this.loader = new WeakReference<>(loader);
        }

        String text(long flags) {
            Memo m = last;
            if (m != null && m.flags == flags) {
                return m.text;
            }
            MethodHandle f = resolve();
            if (f == null) {
                return null;
            }
            try {
                String text = (String) f.invokeExact(flags);
                last = new Memo(flags, text);
                return text;
            } catch (Throwable t) {
                AgentErrors.report(t);
                return null;
            }
        }

        private MethodHandle resolve() {
            MethodHandle f = format;
            if (f != null || failed) {
                return f;
            }
            try {
                Method m = Class.forName(className, true, loader.get()).getDeclaredMethod("format", long.class);
                m.setAccessible(true);
                f = MethodHandles.lookup().unreflect(m).asType(MethodType.methodType(String.class, long.class));
                format = f;
                return f;
            } catch (Throwable t) {
                failed = true;
                AgentErrors.report(t);
                return null;
            }
        }
    }

    private record Memo(long flags, String text) {
    }
}
