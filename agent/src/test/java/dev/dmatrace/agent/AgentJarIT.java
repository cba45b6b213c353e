package dev.dmatrace.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The shaded jar a user passes to -javaagent. */
class AgentJarIT {

    @Test
    void manifest_declaresBothEntryPointsAndRetransformation() throws Exception {
        try (JarFile jar = new JarFile(ForkedJvm.AGENT_JAR.toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertThat(main.getValue("Premain-Class")).isEqualTo(DmatraceAgent.class.getName());
            assertThat(main.getValue("Agent-Class")).isEqualTo(DmatraceAgent.class.getName());
            assertThat(main.getValue("Can-Retransform-Classes")).isEqualTo("true");
            assertThat(main.getValue("Main-Class")).isEqualTo(AttachMain.class.getName());
        }
    }

    @Test
    void byteBuddy_isRelocated_soItNeverMeetsTheProgramsOwn() throws Exception {
        try (JarFile jar = new JarFile(ForkedJvm.AGENT_JAR.toFile())) {
            var names = Collections.list(jar.entries()).stream().map(e -> e.getName()).collect(Collectors.toList());
            assertThat(names).noneMatch(n -> n.startsWith("net/bytebuddy/"))
                    .anyMatch(n -> n.startsWith("dev/dmatrace/agent/shaded/bytebuddy/agent/builder/AgentBuilder"))
                    .allMatch(n -> n.startsWith("dev/dmatrace/agent/") || n.startsWith("META-INF/") || n.endsWith("/"));
        }
    }
}
