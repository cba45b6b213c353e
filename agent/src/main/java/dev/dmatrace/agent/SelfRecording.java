package dev.dmatrace.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/** {@code record=FILE.jfr}: the agent starts its own recording and JFR dumps it to FILE when the JVM exits. */
final class SelfRecording {

    private SelfRecording() {
    }

    static void start(Path file, String settings, Consumer<String> warn) {
        try {
            Recording r = new Recording(configuration(settings));
            r.setName("dmatrace");
            r.setToDisk(true);
            r.setDestination(file);
            r.setDumpOnExit(true);
            r.start();
        } catch (Exception e) {
            warn.accept("cannot record to " + file + ": " + e.getMessage());
        }
    }

    private static Configuration configuration(String settings) throws Exception {
        if (settings == null) {
            return Configuration.getConfiguration("default");
        }
        Path path = Path.of(settings);
        return Files.exists(path) ? Configuration.create(path) : Configuration.getConfiguration(settings);
    }
}
