package dev.dmatrace.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the fixture program (or the attach command) in a real forked JVM, the way a user runs the agent. */
final class ForkedJvm {

    static final Path AGENT_JAR = Path.of(System.getProperty("dmatrace.agent.jar", "target/dmatrace-agent.jar")).toAbsolutePath();
    static final String FIXTURE_CLASSES = System.getProperty("dmatrace.fixture.classes", "target/test-classes");
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    record Result(int exit, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    /** A forked JVM still running, with its stderr going to a file. */
    record Running(Process process, Path stderr) {
        Result finish() throws IOException, InterruptedException {
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("forked JVM did not finish");
            }
            return new Result(process.exitValue(), out, Files.readString(stderr));
        }
    }

    private ForkedJvm() {
    }

    static List<String> fixture(List<String> jvmArgs, String... programArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(JAVA);
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(FIXTURE_CLASSES);
        cmd.add("dev.dmatrace.fixture.Sim");
        cmd.addAll(List.of(programArgs));
        return cmd;
    }

    static String agent(String options) {
        return "-javaagent:" + AGENT_JAR + (options.isEmpty() ? "" : "=" + options);
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        return start(command).finish();
    }

    static Running start(List<String> command) throws IOException {
        Path err = Files.createTempFile("dmatrace-stderr", ".txt");
        err.toFile().deleteOnExit();
        return new Running(new ProcessBuilder(command).redirectError(err.toFile()).start(), err);
    }
}
