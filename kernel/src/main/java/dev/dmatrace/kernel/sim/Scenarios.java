package dev.dmatrace.kernel.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where scenarios come from: the embedded default (a resource of the kernel jar) and the shipped ones, the YAML
 * files of {@code sample-traces/scenarios} (the directory the system property {@code dmatrace.scenarios} names,
 * else the one under the working directory).
 */
public final class Scenarios {

    public static final String DEFAULT = "default";
    private static final String DEFAULT_RESOURCE = "/dev/dmatrace/kernel/sim/default.yaml";

    private Scenarios() {
    }

    /** The embedded default scenario. */
    public static Scenario builtIn() throws ScenarioException {
        try (InputStream in = Scenarios.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            return ScenarioReader.read(DEFAULT + ".yaml", new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path shippedDir() {
        return Path.of(System.getProperty("dmatrace.scenarios", "sample-traces/scenarios"));
    }

    /** The shipped scenario files, by name. */
    public static List<Path> shipped() {
        Path dir = shippedDir();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches(".*\\.(ya?ml|json)")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A shipped scenario by name ({@code camera-200m}), or null. */
    public static Path shippedByName(String name) {
        for (Path p : shipped()) {
            if (p.getFileName().toString().replaceFirst("\\.(ya?ml|json)$", "").equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** Name and description of each scenario, the default first; a file that does not parse says so. */
    public static List<String[]> list() throws ScenarioException {
        List<String[]> out = new ArrayList<>();
        out.add(new String[] {DEFAULT, "(built in) " + builtIn().description()});
        for (Path p : shipped()) {
            String name = p.getFileName().toString().replaceFirst("\\.(ya?ml|json)$", "");
            String text;
            try {
                text = Files.readString(p);
            } catch (IOException e) {
                text = "";
            }
            out.add(new String[] {name, describe(p.getFileName().toString(), text)});
        }
        return out;
    }

    private static String describe(String file, String text) {
        try {
            if (Node.parse(file, text) instanceof Node.Obj o && o.fields().get("description") instanceof Node.Scalar s
                    && s.text() != null) {
                return s.text().lines().findFirst().orElse("");
            }
            return "(no description)";
        } catch (ScenarioException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
