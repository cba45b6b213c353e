package dev.dmatrace.kernel.dma;

import dev.dmatrace.kernel.boot.Board;
import dev.dmatrace.kernel.boot.Boards;
import dev.dmatrace.kernel.boot.BootOptions;
import dev.dmatrace.kernel.boot.Kernel;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.mm.CmaArea;
import dev.dmatrace.kernel.of.DeviceTree;
import dev.dmatrace.kernel.of.DtsException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Booted kernels for the DMA tests, and where a handle points. */
final class DmaTestKernels {

    static final long MIB = 1L << 20;

    private DmaTestKernels() {
    }

    /** The oracle's arm64 board (512 MiB at 0x40000000) on {@code version} with a command line. */
    static Kernel arm64(String version, String cmdline) {
        return boot(Boards.ORACLE_ARM64_512M.withProfile(KernelProfile.parse(version)), null, cmdline, true);
    }

    static Kernel boot(Board board, DeviceTree dt, String cmdline, boolean debug) {
        try {
            return Kernel.boot(board, dt, cmdline, BootOptions.defaults(board).withDmaApiDebug(debug));
        } catch (DtsException e) {
            throw new IllegalStateException(e);
        }
    }

    static DeviceTree dts(String name) {
        try (InputStream in = DmaTestKernels.class.getResourceAsStream("/dts/" + name)) {
            return DeviceTree.parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (DtsException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean inArea(CmaArea a, long handle) {
        long pfn = handle >>> 12;
        return a != null && pfn >= a.basePfn() && pfn < a.basePfn() + a.count();
    }

    static long cmaStarts(Kernel k) {
        return k.machine().tracing().lines().stream().filter(l -> l.contains("cma_alloc_start")).count();
    }
}
