package dev.dmatrace.kernel.oracle;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The {@code dmatrace oracle} command: simulate recorded cases and compare them with their summaries. */
public final class Oracle {

    /** Where the project keeps the public cases, relative to the repository root and to the kernel module. */
    public static final List<Path> CASE_ROOTS = List.of(Path.of("sample-traces/oracle-cases"),
            Path.of("../sample-traces/oracle-cases"));

    private Oracle() {
    }

    /** Every case directory (one holding a case.json) under the first existing case root, sorted by name. */
    public static List<Path> allCases() throws IOException {
        for (Path root : CASE_ROOTS) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> s = Files.list(root)) {
                    return s.filter(d -> Files.isRegularFile(d.resolve("case.json"))).sorted().toList();
                }
            }
        }
        throw new IOException("no oracle cases: none of " + CASE_ROOTS + " exists");
    }

    /** Simulates one case; with {@code printOnly} prints its lines, else compares. True when equal (or printed). */
    public static boolean run(Path dir, boolean printOnly, PrintWriter out) throws Exception {
        OracleCase c = OracleCase.load(dir);
        List<String> sim = new OracleRun(c).run().summary();
        if (printOnly) {
            sim.forEach(out::println);
            return true;
        }
        List<String> real = Files.readAllLines(dir.resolve("summary.txt"));
        List<String> diffs = OracleCompare.compare(c, sim, real);
        if (diffs.isEmpty()) {
            out.println("oracle " + c.name() + ": equal");
            return true;
        }
        out.println("oracle " + c.name() + ": differs");
        diffs.forEach(d -> out.println("  " + d));
        return false;
    }
}
