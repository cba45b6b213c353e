package dev.dmatrace.analyzer.read;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedObject;

/**
 * Reads an event's field values by position. {@code RecordedObject.getValue(name)} scans the field list and
 * builds a view per call, which costs more than parsing the event; the values sit in a private array in field
 * order. When the JVM opens {@code jdk.jfr/jdk.jfr.consumer} to us (the analyzer jar's manifest says
 * {@code Add-Opens}), that array is read directly; otherwise every read goes by name, correct but slower.
 */
final class FieldAccess {
    private static final VarHandle OBJECTS = find();

    private FieldAccess() {}

    private static VarHandle find() {
        try {
            if (!RecordedObject.class.getModule().isOpen("jdk.jfr.consumer", FieldAccess.class.getModule())) {
                return null;
            }
            MethodHandles.Lookup l = MethodHandles.privateLookupIn(RecordedObject.class, MethodHandles.lookup());
            return l.findVarHandle(RecordedObject.class, "objects", Object[].class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // another JDK's layout: fall back to names
        }
    }

    static boolean direct() {
        return OBJECTS != null;
    }

    /** The values in field order, or null when only access by name is possible. */
    static Object[] values(RecordedEvent e, boolean allowDirect) {
        return allowDirect && OBJECTS != null ? (Object[]) OBJECTS.get(e) : null;
    }
}
