package dev.dmatrace.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentOptionsTest {

    private final List<String> warnings = new ArrayList<>();

    @Test
    void options_areParsed() {
        AgentOptions o = AgentOptions.parse("include=cma_*|a.B#c,exclude=cma_release,record=out.jfr,settings=profile,threshold=10us",
                warnings::add);
        assertThat(o.includes()).extracting(Glob::text).containsExactly("cma_*", "a.B#c");
        assertThat(o.excludes()).extracting(Glob::text).containsExactly("cma_release");
        assertThat(o.record()).isEqualTo(Path.of("out.jfr"));
        assertThat(o.settings()).isEqualTo("profile");
        assertThat(o.threshold()).isEqualTo("10 us");
        assertThat(warnings).isEmpty();
    }

    @Test
    void noOptions_meansEveryAnnotatedMethodAndNoRecording() {
        AgentOptions o = AgentOptions.parse(null, warnings::add);
        assertThat(o.includes()).isEmpty();
        assertThat(o.record()).isNull();
        assertThat(warnings).isEmpty();
    }

    @Test
    void unknownOrMalformedOptions_areOneWarningEach() {
        AgentOptions o = AgentOptions.parse("colour=blue,threshold=soon,record", warnings::add);
        assertThat(o.threshold()).isNull();
        assertThat(warnings).hasSize(3);
        assertThat(warnings.get(0)).startsWith("unknown option 'colour' ignored");
    }

    @Test
    void probeFile_linesBecomeProbes_andBadLinesWarn(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("p.txt");
        Files.writeString(file, "# probes\na.Pool#grab event=pool_grab args=size:bytes,owner ret=no\n\nnot-a-probe\na.B#c colour=red\n");
        AgentOptions o = AgentOptions.parse("probes=" + file, warnings::add);
        assertThat(o.probes()).hasSize(2);
        Probe grab = o.probes().get(0);
        assertThat(grab.className()).isEqualTo("a.Pool");
        assertThat(grab.methodName()).isEqualTo("grab");
        assertThat(grab.eventName()).isEqualTo("pool_grab");
        assertThat(grab.fieldFor("size", "size")).isEqualTo("bytes");
        assertThat(grab.fieldFor("owner", "owner")).isEqualTo("owner");
        assertThat(grab.fieldFor("other", "other")).isNull();
        assertThat(grab.captureResult()).isFalse();
        assertThat(o.probes().get(1).args()).isNull();
        assertThat(warnings).containsExactly("p.txt:4: expected class#method, got 'not-a-probe'; line ignored",
                "p.txt:5: unknown probe setting 'colour=red' ignored");
    }

    @Test
    void globs_matchSymbolsAndCode() {
        assertThat(Glob.of("cma_*").matches("cma_alloc")).isTrue();
        assertThat(Glob.of("cma_*").matches("dma_alloc")).isFalse();
        assertThat(Glob.of("__rmqueue_smallest").matches("__rmqueue_smallest")).isTrue();
        Glob code = Glob.of("a.b.*#get*");
        assertThat(code.namesCode()).isTrue();
        assertThat(code.matches("a.b.Pool#getX")).isTrue();
        assertThat(code.classPart().matches("a.b.Pool")).isTrue();
        assertThat(Glob.of("a.B#c").matches("aXB#c")).isFalse(); // dots are literal
    }
}
