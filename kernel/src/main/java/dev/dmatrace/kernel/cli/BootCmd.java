package dev.dmatrace.kernel.cli;

import dev.dmatrace.kernel.boot.Board;
import dev.dmatrace.kernel.boot.Boards;
import dev.dmatrace.kernel.boot.Kernel;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.drivers.base.Device;
import dev.dmatrace.kernel.of.DeviceTree;
import dev.dmatrace.kernel.of.DtsException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dmatrace boot}: boot a board (with a devicetree and a command line) and print the kernel log. */
@Command(name = "boot", mixinStandardHelpOptions = true,
        description = "Boot a board, optionally with a DTS file and a kernel command line; print the boot log and "
                + "the devices bound to reserved memory.")
final class BootCmd implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--board", description = "board name (see: boards); default ${DEFAULT-VALUE}",
            defaultValue = "virt-arm64")
    String board;

    @Option(names = "--profile", description = "kernel profile: 4.4, 5.10, 6.1, 6.12 (default: the board's)")
    String kernel;

    @Option(names = "--dts", description = "devicetree source file")
    Path dts;

    @Option(names = "--cmdline", description = "kernel command line (default: the DTS's /chosen bootargs)")
    String cmdline;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Board b = Boards.byName(board);
        if (b == null) {
            err.println("dmatrace: unknown board '" + board + "' (see: dmatrace boards)");
            return KernelMain.EXIT_BAD_INPUT;
        }
        if (kernel != null) {
            KernelProfile p = KernelProfile.parse(kernel);
            if (p == null) {
                err.println("dmatrace: unknown kernel '" + kernel + "' (4.4, 5.10, 6.1, 6.12)");
                return KernelMain.EXIT_BAD_INPUT;
            }
            b = b.withProfile(p);
        }
        Kernel k;
        try {
            k = Kernel.boot(b, dts == null ? null : DeviceTree.parse(dts), cmdline);
        } catch (DtsException e) {
            err.println("dmatrace: " + e.getMessage());
            return KernelMain.EXIT_BAD_INPUT;
        } catch (IOException e) {
            err.println("dmatrace: cannot read " + dts + ": " + e.getMessage());
            return KernelMain.EXIT_BAD_INPUT;
        }
        k.bootLog().forEach(out::println);
        for (Device d : k.devices()) {
            out.printf("device %s: %s%s%n", d.devName(), d.cmaArea != null ? "cma_area=" + d.cmaArea.name() : "",
                    d.dmaMem != null ? "dma_mem=" + d.dmaMem.pages() + " pages at 0x"
                            + Long.toHexString(d.dmaMem.deviceBase()) : "");
        }
        return KernelMain.EXIT_OK;
    }
}
