package dev.dmatrace.kernel.of;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads the board corpus under {@code src/test/resources/dts/}. */
final class DtsTestFiles {

    private DtsTestFiles() {
    }

    static String read(String name) {
        try (InputStream in = DtsTestFiles.class.getResourceAsStream("/dts/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource dts/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DeviceTree parse(String name) throws DtsException {
        return DeviceTree.parse(name, read(name));
    }
}
