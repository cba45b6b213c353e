package dev.dmatrace.analyzer.render.html;

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

import dev.dmatrace.analyzer.cli.AnalyzerMain;
import dev.dmatrace.analyzer.testing.Chromium;
import dev.dmatrace.analyzer.testing.MixedRecording;
import dev.dmatrace.analyzer.testing.Scenarios;
import dev.dmatrace.analyzer.testing.TestRecording;

/**
 * The pages in a real browser: headless Chromium loads report.html and flame.html, each page's self-test searches
 * for cma_alloc and clicks a cma_alloc frame, and the DOM it leaves behind is checked. Screenshots are kept under
 * target/screenshots for CI.
 */
class BrowserTest {
    static final Path OUT = Path.of("target", "browser-test");
    static final Path SHOTS = Path.of("target", "screenshots");
    private static final Pattern SELFTEST = Pattern.compile("<pre id=\"selftest\">(.*?)</pre>", Pattern.DOTALL);

    @TempDir
    static Path tmp;

    @BeforeAll
    static void report() throws Exception {
        assumeTrue(Chromium.available(), "skipped: no Chromium at " + Chromium.BINARY
                + " (apt-get install chromium; .ci/run installs it)");
        Path rec = MixedRecording.write(tmp.resolve("mixed.jfr"));
        assertThat(AnalyzerMain.run("report", rec.toString(), "--out", OUT.toString())).isZero();
        Path quiet = tmp.resolve("quiet.jfr");
        try (TestRecording r = new TestRecording()) {
            r.schema(1, "test");
            new Scenarios(r).cmaAlloc("vpu", 1 << 20, 0, 0x10000);
            r.dump(quiet);
        }
        assertThat(AnalyzerMain.run("diff", quiet.toString(), rec.toString(), "--out", OUT.toString())).isZero();
        Files.createDirectories(SHOTS);
    }

    static JsonNode selfTest(String page) throws Exception {
        Chromium.Run run = Chromium.dumpDom(OUT.resolve(page).toAbsolutePath(), "?selftest=1",
                tmp.resolve("profile-" + page));
        assertThat(consoleLines(run.stderr())).as("console of " + page).isEmpty();
        Matcher m = SELFTEST.matcher(run.stdout());
        assertThat(m.find()).as("self-test output in the DOM of " + page).isTrue();
        String json = m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        return new ObjectMapper().readTree(json);
    }

    static List<String> consoleLines(String log) {
        List<String> out = new ArrayList<>();
        log.lines().filter(l -> l.contains(":CONSOLE")).forEach(out::add);
        return out;
    }

    static void assertSearchAndZoom(JsonNode r) {
        assertThat(r.path("errors")).isEmpty();
        List<String> frames = new ArrayList<>();
        r.path("frames").forEach(f -> frames.add(f.asText()));
        assertThat(frames).contains("all", "vpu", "dsp", "dma_alloc_coherent", "dma_alloc_coherent_[fallback]",
                "dma_alloc_coherent_[failed]", "cma_alloc_[busy]", "alloc_contig_range");
        assertThat(r.path("searchMatchedPercent").asDouble()).isBetween(1.0, 100.0);
        assertThat(r.path("clicked").asText()).startsWith("cma_alloc");
        assertThat(r.path("zoomedOn").asText()).isEqualTo(r.path("clicked").asText());
        assertThat(r.path("zoomedWidthAfter").asDouble())
                .isGreaterThan(r.path("clickedWidthBefore").asDouble())
                .isCloseTo(r.path("canvasWidth").asDouble(), org.assertj.core.data.Offset.offset(1.0));
    }

    @Test
    void flameGraph_searchFindsCmaAlloc_andAClickZooms() throws Exception {
        assertSearchAndZoom(selfTest("flame.html"));
    }

    @Test
    void report_searchFindsCmaAlloc_andAClickZooms() throws Exception {
        assertSearchAndZoom(selfTest("report.html"));
    }

    @Test
    void diffGraph_searchFindsCmaAlloc_andAClickZooms() throws Exception {
        assertSearchAndZoom(selfTest("diff.html"));
    }

    @Test
    void flameGraph_weightAndIcicleControls_redraw_andAMarkupDeviceIsAFrameLikeAnyOther() throws Exception {
        JsonNode r = selfTest("flame.html");
        List<String> byCalls = new ArrayList<>();
        r.path("framesByCalls").forEach(f -> byCalls.add(f.asText()));
        // by call count the markup device's one allocation is wide enough to draw; by time it is not
        assertThat(byCalls).contains(MixedRecording.MARKUP_DEVICE, "gpu", "cma_alloc");
        assertThat(r.path("icicleRootRow").asInt()).isZero();
        assertThat(r.path("errors")).isEmpty();
    }

    @Test
    void report_showsAMarkupDeviceNameAsText() throws Exception {
        Chromium.Run run = Chromium.dumpDom(OUT.resolve("report.html").toAbsolutePath(), "?selftest=1",
                tmp.resolve("profile-markup"));
        assertThat(run.stdout()).contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>")
                .doesNotContain(MixedRecording.MARKUP_DEVICE);
        assertThat(selfTest("report.html").path("errors")).isEmpty();
    }

    @Test
    void screenshots_areSavedUnderTarget() throws Exception {
        for (String page : new String[] {"report.html", "flame.html", "diff.html"}) {
            Path png = SHOTS.resolve(page.replace(".html", ".png"));
            Files.deleteIfExists(png);
            Chromium.screenshot(OUT.resolve(page).toAbsolutePath(), png, tmp.resolve("profile-shot-" + page));
            assertThat(png).as(page).exists();
            assertThat(Files.size(png)).as(page).isGreaterThan(10_000);
        }
    }
}
