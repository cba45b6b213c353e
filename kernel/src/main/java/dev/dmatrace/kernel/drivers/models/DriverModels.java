package dev.dmatrace.kernel.drivers.models;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** The driver models a scenario can name, by name. */
public final class DriverModels {

    private static final Map<String, Supplier<DriverModel>> MODELS = new TreeMap<>();

    private DriverModels() {
    }

    /** A new instance of the named driver, or null when there is none by that name. */
    public static DriverModel create(String name) {
        Supplier<DriverModel> s = MODELS.get(name);
        return s == null ? null : s.get();
    }

    /** The names, sorted. */
    public static List<String> names() {
        return List.copyOf(MODELS.keySet());
    }
}
