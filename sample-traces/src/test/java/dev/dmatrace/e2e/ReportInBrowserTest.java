package dev.dmatrace.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.dmatrace.analyzer.testing.Chromium;

/**
 * The report.html and flame.html of a real {@code dmatrace run} (oracle-p3-exhaust-6.1: CMA with migration, a
 * fallback to buddy, a failure) in headless Chromium, as the analyzer's BrowserTest does with a generated
 * recording: each page's {@code ?selftest=1} searches for cma_alloc and clicks a cma_alloc frame and leaves its
 * results in the DOM. Screenshots go to {@code sample-traces/target/screenshots}.
 */
class ReportInBrowserTest {
    static final String SCENARIO = "oracle-p3-exhaust-6.1";
    static final Path SHOTS = Path.of("target", "screenshots");
    private static final Pattern SELFTEST = Pattern.compile("<pre id=\"selftest\">(.*?)</pre>", Pattern.DOTALL);

    @TempDir
    static Path tmp;
    static Path dir;

    @BeforeAll
    static void run() throws Exception {
        assumeTrue(Chromium.available(), "skipped: no Chromium at " + Chromium.BINARY
                + " (apt-get install chromium; .ci/run installs it)");
        dir = Recordings.run(SCENARIO);
        Files.createDirectories(SHOTS);
    }

    @Test
    void flameGraph_ofARealRun_noConsoleErrors_realFrames_searchFindsCmaAlloc() throws Exception {
        assertRealFramesAndSearch(selfTest("flame.html"));
    }

    @Test
    void report_ofARealRun_noConsoleErrors_realFrames_searchFindsCmaAlloc() throws Exception {
        JsonNode r = selfTest("report.html");
        assertRealFramesAndSearch(r);
        Chromium.Run dom = Chromium.dumpDom(dir.resolve("report.html").toAbsolutePath(), "",
                tmp.resolve("profile-dom"));
        // the findings of the recording are on the page
        assertThat(dom.stdout()).contains("BUDDY_FALLBACK").contains("CMA_NO_SPACE").contains("ALLOC_FAILED");
    }

    @Test
    void screenshots_ofTheRealRun_areSavedUnderTarget() throws Exception {
        for (String page : new String[] {"report.html", "flame.html"}) {
            Path png = SHOTS.resolve("real-run-" + page.replace(".html", ".png"));
            Files.deleteIfExists(png);
            Chromium.screenshot(dir.resolve(page).toAbsolutePath(), png, tmp.resolve("profile-shot-" + page));
            assertThat(png).as(page).exists();
            assertThat(Files.size(png)).as(page).isGreaterThan(10_000);
        }
    }

    private static void assertRealFramesAndSearch(JsonNode r) {
        assertThat(r.path("errors")).as("page errors").isEmpty();
        List<String> frames = new ArrayList<>();
        r.path("frames").forEach(f -> frames.add(f.asText()));
        // the device, the DMA API and the path the port really took, with the outcome frames of the analyzer
        assertThat(frames).contains("all", "dma-oracle", "dma_alloc_attrs", "dma_direct_alloc",
                "dma_alloc_contiguous", "cma_alloc", "alloc_contig_range", "migrate_pages", "dma_free_coherent",
                "dma_alloc_attrs_[fallback]", "dma_alloc_attrs_[failed]", "cma_alloc_[failed]");
        assertThat(r.path("searchMatchedPercent").asDouble()).as("search for cma_alloc").isBetween(1.0, 100.0);
        assertThat(r.path("clicked").asText()).startsWith("cma_alloc");
        assertThat(r.path("zoomedOn").asText()).isEqualTo(r.path("clicked").asText());
    }

    private static JsonNode selfTest(String page) throws Exception {
        Chromium.Run run = Chromium.dumpDom(dir.resolve(page).toAbsolutePath(), "?selftest=1",
                tmp.resolve("profile-" + page));
        List<String> console = run.stderr().lines().filter(l -> l.contains(":CONSOLE")).toList();
        assertThat(console).as("console of " + page).isEmpty();
        Matcher m = SELFTEST.matcher(run.stdout());
        assertThat(m.find()).as("self-test output in the DOM of " + page).isTrue();
        String json = m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        return new ObjectMapper().readTree(json);
    }
}
