package dev.dmatrace.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * (A copy of the analyzer's test helper analyzer/src/test/.../testing/Chromium, which is not published as a
 * test jar.) Debian's headless Chromium, driven the simplest way that sees what a person sees: {@code --dump-dom} after the
 * page's scripts ran (a page's {@code ?selftest=1} writes its results into the DOM) and {@code --screenshot}.
 */
final class Chromium {
    public static final Path BINARY = Path.of(System.getProperty("dmatrace.chromium", "/usr/bin/chromium"));

    private Chromium() {}

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** What a run printed: the DOM (stdout) and Chromium's own log with the page's console (stderr). */
    public record Run(String stdout, String stderr, long millis) {}

    public static Run dumpDom(Path page, String query, Path profile) throws IOException, InterruptedException {
        return run(profile, "--dump-dom", "--virtual-time-budget=5000", page.toUri() + query);
    }

    public static Run screenshot(Path page, Path png, Path profile) throws IOException, InterruptedException {
        return run(profile, "--screenshot=" + png.toAbsolutePath(), "--window-size=1400,1100",
                "--virtual-time-budget=5000", page.toUri().toString());
    }

    private static Run run(Path profile, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
                "--user-data-dir=" + profile.toAbsolutePath()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(profile.getParent(), "chromium", ".out");
        Path err = Files.createTempFile(profile.getParent(), "chromium", ".err");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("chromium did not finish in 60 s: " + cmd);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        return new Run(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8),
                millis);
    }
}
