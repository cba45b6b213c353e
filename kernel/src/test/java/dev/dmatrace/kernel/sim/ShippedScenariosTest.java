package dev.dmatrace.kernel.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.dmatrace.kernel.drivers.models.DriverModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shipped scenario runs and prints exactly its expected file, {@code sample-traces/scenarios/expected/NAME.txt}.
 * {@code -Ddmatrace.regenerate=true} rewrites the files instead. Scenarios that name driver models wait for the
 * models: they are skipped while the registry does not know the driver.
 */
class ShippedScenariosTest {

    private static final Path DIR = Path.of("../sample-traces/scenarios");

    static Stream<Path> scenarios() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void runsAndPrintsItsExpectedOutput(Path file) throws Exception {
        Scenario s;
        try {
            s = ScenarioReader.read(file);
        } catch (ScenarioException e) {
            assumeThat(e.getMessage().contains("unknown driver") && DriverModels.names().isEmpty())
                    .as("driver models not merged yet: " + e.getMessage()).isFalse();
            throw e;
        }
        Simulation.Result r = Simulation.run(s, null, null, false);
        assertThat(r.exitCode()).as(r.output()).isZero();
        String name = file.getFileName().toString().replaceFirst("\\.yaml$", "");
        Path expected = DIR.resolve("expected").resolve(name + ".txt");
        if (Boolean.getBoolean("dmatrace.regenerate")) {
            Files.writeString(expected, r.output());
        }
        assertThat(expected).as("expected output; create it with -Ddmatrace.regenerate=true").exists();
        assertThat(r.output()).isEqualTo(Files.readString(expected));
    }
}
