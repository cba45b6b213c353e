package dev.dmatrace.analyzer.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Turns the REC arguments into files: a directory stands for its {@code *.jfr} files, an argument with glob
 * characters that names no file is matched in its directory ({@code 'out/*.jfr'} quoted past the shell), anything
 * else is taken as it is (a missing file is reported by the reader like any other input problem).
 */
final class Inputs {
    private Inputs() {}

    static List<Path> resolve(List<String> args) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String a : args) {
            Path p = Path.of(a);
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.getFileName().toString().endsWith(".jfr") && Files.isRegularFile(f))
                            .sorted().forEach(out::add);
                }
            } else if (!Files.exists(p) && a.matches(".*[*?\\[{].*")) {
                out.addAll(glob(p));
            } else {
                out.add(p);
            }
        }
        return out;
    }

    private static List<Path> glob(Path pattern) throws IOException {
        Path dir = pattern.getParent() == null ? Path.of(".") : pattern.getParent();
        PathMatcher m = dir.getFileSystem().getPathMatcher("glob:" + pattern.getFileName());
        List<Path> out = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path f : ds) {
                    if (m.matches(f.getFileName()) && Files.isRegularFile(f)) {
                        out.add(f);
                    }
                }
            }
        }
        out.sort(null);
        if (out.isEmpty()) {
            out.add(pattern); // reported as missing
        }
        return out;
    }
}
