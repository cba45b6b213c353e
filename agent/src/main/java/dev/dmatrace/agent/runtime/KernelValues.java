package dev.dmatrace.agent.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * Captures an object argument or result as its {@code @KernelValue} method's value (a device as its name).
 * The method is found by annotation name once per runtime class; any failure is an agent error and the
 * field stays at its default.
 */
public final class KernelValues {

    public static final String ANNOTATION = "dev.dmatrace.kernel.KernelValue";

    private static final ClassValue<MethodHandle> GETTERS = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            return getter(type);
        }
    };

    private KernelValues() {
    }

    public static String string(Object value) {
        Object v = invoke(value);
        return v == null ? null : v.toString();
    }

    public static long number(Object value) {
        Object v = invoke(value);
        return v instanceof Number ? ((Number) v).longValue() : 0L;
    }

    public static boolean bool(Object value) {
        return Boolean.TRUE.equals(invoke(value));
    }

    public static String enumName(Object value) {
        return value instanceof Enum ? ((Enum<?>) value).name() : null;
    }

    private static Object invoke(Object value) {
        if (value == null) {
            return null;
        }
        try {
            MethodHandle getter = GETTERS.get(value.getClass());
            return getter == null ? null : getter.invoke(value);
        } catch (Throwable t) {
            AgentErrors.report(t);
            return null;
        }
    }

    private static MethodHandle getter(Class<?> type) {
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers()) && annotated(m)) {
                try {
                    m.setAccessible(true);
                    return MethodHandles.lookup().unreflect(m).asType(MethodType.methodType(Object.class, Object.class));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    AgentErrors.report(e);
                    return null;
                }
            }
        }
        return null;
    }

    private static boolean annotated(Method m) {
        for (var a : m.getAnnotations()) {
            if (a.annotationType().getName().equals(ANNOTATION)) {
                return true;
            }
        }
        return false;
    }
}
