package dev.dmatrace.benchmarks.report;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.dmatrace.analyzer.read.Hop;
import dev.dmatrace.analyzer.render.flame.FlameHtml;
import dev.dmatrace.analyzer.render.flame.Folded;
import dev.dmatrace.analyzer.render.flame.FrameTree;
import dev.dmatrace.analyzer.render.flame.Weight;
import dev.dmatrace.analyzer.tree.TreeAssembler;

/**
 * The 100 000-frame harness of issue 8: a flame graph with that many distinct frames (10 devices × 10 000 distinct
 * call paths, each a tree of its own, fed through the analyzer's tree assembly), its HTML size, and how long
 * headless Chromium takes to open it (whole process, and the page's own time to a drawn graph). Not a JMH
 * benchmark: one run, figures for benchmarks/README.md.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.dmatrace.benchmarks.report.FlameGraphScale [paths] [dir]</pre>
 */
public final class FlameGraphScale {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private FlameGraphScale() {}

    public static void main(String[] args) throws Exception {
        int paths = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path dir = Path.of(args.length > 1 ? args[1] : "benchmarks/target/report-scale");
        Files.createDirectories(dir);

        long t0 = System.nanoTime();
        FrameTree frames = new FrameTree();
        TreeAssembler trees = new TreeAssembler(t -> frames.add(t, Map.of()));
        long id = 0;
        for (int i = 0; i < paths; i++) {
            id = tree(trees, i, id);
            if (i % 1000 == 999) {
                trees.chunkEnd();
            }
        }
        trees.finish();
        long built = System.nanoTime();
        String html = FlameHtml.page("synthetic " + paths + " paths", frames.root());
        Path page = dir.resolve("flame.html");
        Files.writeString(page, html, StandardCharsets.UTF_8);
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(dir.resolve("stacks.folded")))) {
            Folded.write(frames.root(), Weight.TOTAL, w);
        }
        long written = System.nanoTime();

        System.out.printf("frames            %,d (depth %d)%n", frames.root().size(), frames.root().depth());
        System.out.printf("flame.html        %,d bytes%n", Files.size(page));
        System.out.printf("stacks.folded     %,d bytes%n", Files.size(dir.resolve("stacks.folded")));
        System.out.printf("build frames      %d ms%n", (built - t0) / 1_000_000);
        System.out.printf("write html+folded %d ms%n", (written - built) / 1_000_000);
        if (!Files.isExecutable(CHROMIUM)) {
            System.out.println("chromium          not installed, open time not measured");
            return;
        }
        for (int run = 1; run <= 3; run++) {
            open(page, dir.resolve("profile-" + run), run);
        }
    }

    /** One allocation's call chain for path {@code i}, children committed before their callers as the agent does. */
    private static long tree(TreeAssembler trees, int i, long id) {
        String[] chain = {"dma_alloc_coherent", "dma_direct_alloc", "cma_alloc", "path_a" + (i / 10) % 10,
            "path_b" + (i / 100) % 10, "path_c" + (i / 1000) % 10, "path_d" + (i / 10_000) % 10};
        long root = id + 1;
        long start = i * 100_000L;
        long leafNanos = 1_000 + (i * 7_919L) % 5_000;
        List<Hop> hops = new ArrayList<>();
        for (int d = 0; d < chain.length; d++) {
            long dur = leafNanos + (chain.length - 1 - d) * 200L;
            hops.add(new Hop(root + d, d == 0 ? 0 : root + d - 1, root, d, chain[d], Hop.Kind.FN, 1, "main",
                    start + d * 100L, dur, Map.of("dev", "dev" + i % 10, "size", 4096L << (i % 8)), 0L, false));
        }
        for (int d = hops.size() - 1; d >= 0; d--) {
            trees.accept(hops.get(d));
        }
        return root + chain.length;
    }

    private static void open(Path page, Path profile, int run) throws IOException, InterruptedException {
        List<String> cmd = List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile.toAbsolutePath(), "--dump-dom",
                "--virtual-time-budget=10000", page.toAbsolutePath().toUri() + "?selftest=1");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        Matcher m = Pattern.compile("\"msToDrawn\":(\\d+)").matcher(dom);
        Matcher e = Pattern.compile("\"errors\":\\[(.*?)]").matcher(dom);
        System.out.printf("chromium run %d    process %d ms, page drawn after %s ms, errors [%s]%n", run, ms,
                m.find() ? m.group(1) : "?", e.find() ? e.group(1) : "no self-test output");
    }
}
