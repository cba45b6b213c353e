package dev.dmatrace.agent.runtime;

import java.lang.invoke.MethodHandles;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;

/**
 * Defines the generated hop event classes (in this package, through this class's lookup, so no Unsafe) and
 * keeps each one's static {@code on} flag equal to "enabled in a running recording". The flag is the whole
 * cost of an instrumented call when nothing records. It is refreshed whenever a recording changes state;
 * JFR itself is touched only once it is initialized, so the agent starts no JFR machinery of its own.
 */
public final class HopTypes implements FlightRecorderListener {

    /** The static boolean every generated class declares and the instrumented code reads first. */
    public static final String ON_FIELD = "on";

    private static final HopTypes INSTANCE = new HopTypes();

    private final List<Class<?>> types = new CopyOnWriteArrayList<>();
    private volatile String agentVersion = "";
    private boolean periodicAdded;

    private HopTypes() {
    }

    public static void install(String agentVersion) {
        INSTANCE.agentVersion = agentVersion;
        FlightRecorder.addListener(INSTANCE);
        if (FlightRecorder.isInitialized()) {
            INSTANCE.recorderInitialized(FlightRecorder.getFlightRecorder());
            INSTANCE.refreshAll();
        }
    }

    public static Class<?> define(byte[] classFile) throws IllegalAccessException {
        Class<?> type = MethodHandles.lookup().defineClass(classFile);
        INSTANCE.types.add(type);
        if (FlightRecorder.isInitialized()) {
            INSTANCE.refresh(type);
        }
        return type;
    }

    @Override
    public synchronized void recorderInitialized(FlightRecorder recorder) {
        if (periodicAdded) {
            return;
        }
        periodicAdded = true;
        FlightRecorder.addPeriodicEvent(SchemaEvent.class, () -> {
            SchemaEvent e = new SchemaEvent();
            e.schemaVersion = SchemaEvent.VERSION;
            e.agentVersion = agentVersion;
            e.commit();
        });
        FlightRecorder.addPeriodicEvent(AgentStatsEvent.class, () -> {
            AgentStatsEvent e = new AgentStatsEvent();
            e.classesTransformed = AgentStats.CLASSES_TRANSFORMED.get();
            e.methodsInstrumented = AgentStats.METHODS_INSTRUMENTED.get();
            e.hopsEmitted = HopStack.emittedTotal();
            e.errors = AgentErrors.count();
            e.commit();
        });
    }

    @Override
    public void recordingStateChanged(Recording recording) {
        refreshAll();
    }

    private void refreshAll() {
        for (Class<?> type : types) {
            refresh(type);
        }
    }

    private void refresh(Class<?> type) {
        try {
            type.getField(ON_FIELD).setBoolean(null, EventType.getEventType(type.asSubclass(jdk.jfr.Event.class)).isEnabled());
        } catch (ReflectiveOperationException | RuntimeException e) {
            AgentErrors.report(e);
        }
    }
}
