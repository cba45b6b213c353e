package dev.dmatrace.kernel.drivers.models;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** The driver models a scenario can name, by name. */
public final class DriverModels {

    private static final Map<String, Supplier<DriverModel>> MODELS = new TreeMap<>();

    static {
        MODELS.put("firmware-loader", XrxGphyFirmware::new);
        MODELS.put("mmc-host", SunxiMmc::new);
        MODELS.put("card-reader", Rtsx::new);
        MODELS.put("sound-sport", Bf5xxSport::new);
        MODELS.put("spi-controller", FslSpiCpm::new);
        MODELS.put("eth-tx-ring", Stmmac::new);
        MODELS.put("eth-rx-ring", Meth::new);
    }

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
