package dev.dmatrace.agent;

import com.sun.tools.attach.VirtualMachine;
import java.io.File;
import java.nio.file.Path;

/** {@code java -jar dmatrace-agent.jar attach PID [agent options]}: loads this jar into a running JVM. */
public final class AttachMain {

    private AttachMain() {
    }

    private static final String USAGE = "usage: dmatrace attach PID [agent options, e.g. record=out.jfr]\n  "
            + AgentOptions.HELP;

    public static void main(String[] args) {
        if (args.length == 2 && (args[1].equals("--help") || args[1].equals("-h"))) {
            System.out.println(USAGE);
            return;
        }
        if (args.length < 2 || !args[0].equals("attach") || !args[1].matches("\\d+")) {
            System.err.println(USAGE);
            System.exit(2);
        }
        String options = args.length > 2 ? args[2] : "";
        try {
            String jar = new File(AttachMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
            VirtualMachine vm = VirtualMachine.attach(args[1]);
            try {
                vm.loadAgent(Path.of(jar).toAbsolutePath().toString(), options);
            } finally {
                vm.detach();
            }
            System.out.println("dmatrace: agent attached to " + args[1]);
        } catch (Exception e) {
            System.err.println("dmatrace attach: cannot attach to " + args[1] + ": " + e.getMessage());
            System.exit(1);
        }
    }
}
