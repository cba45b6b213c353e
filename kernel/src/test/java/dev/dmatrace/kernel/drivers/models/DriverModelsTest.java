package dev.dmatrace.kernel.drivers.models;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DriverModelsTest {

    @Test
    void names_areTheScenarioNames_sorted() {
        assertThat(DriverModels.names()).containsExactly("card-reader", "eth-rx-ring", "eth-tx-ring",
                "firmware-loader", "mmc-host", "sound-sport", "spi-controller");
    }

    @Test
    void create_givesAFreshInstanceOfTheDriver_orNull() {
        assertThat(DriverModels.create("eth-tx-ring")).isInstanceOf(Stmmac.class)
                .isNotSameAs(DriverModels.create("eth-tx-ring"));
        assertThat(DriverModels.create("mmc-host")).isInstanceOf(SunxiMmc.class);
        assertThat(DriverModels.create("no-such-driver")).isNull();
    }
}
