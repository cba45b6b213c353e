package dev.dmatrace.kernel.drivers.models;

import dev.dmatrace.kernel.boot.Board;
import dev.dmatrace.kernel.boot.Boards;
import dev.dmatrace.kernel.boot.BootOptions;
import dev.dmatrace.kernel.boot.Kernel;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.drivers.base.Device;
import dev.dmatrace.kernel.mm.Gfp;
import dev.dmatrace.kernel.mm.Page;
import dev.dmatrace.kernel.mm.PageAlloc;
import dev.dmatrace.kernel.of.DtsException;
import java.util.HashMap;
import java.util.Map;

/** A booted kernel, one device, a recording DMA API over kernel.dma() and the scenario's parameters. */
final class ModelEnv implements DriverEnv {

    private final Kernel kernel;
    private final Device device;
    final RecordingDma dma;
    private final Map<String, Long> params = new HashMap<>();

    private ModelEnv(Kernel kernel, Device device) {
        this.kernel = kernel;
        this.device = device;
        this.dma = new RecordingDma(kernel.dma());
    }

    /** The oracle's arm64 board (512 MiB) on {@code version}, a platform device with 32-bit masks. */
    static ModelEnv arm64(String version) {
        return on(Boards.ORACLE_ARM64_512M.withProfile(KernelProfile.parse(version)));
    }

    /** The 4.4 32-bit ARM board; its devices get the 32-bit masks of_dma_configure() would set. */
    static ModelEnv arm44() {
        ModelEnv env = on(Boards.VEXPRESS_ARM_44);
        env.device.coherentDmaMask = 0xffffffffL;
        env.device.dmaMask = 0xffffffffL;
        env.device.hasDmaMask = true;
        return env;
    }

    private static ModelEnv on(Board board) {
        try {
            Kernel k = Kernel.boot(board, null, "", BootOptions.defaults(board));
            return new ModelEnv(k, k.createDevice("drv0"));
        } catch (DtsException e) {
            throw new IllegalStateException(e);
        }
    }

    ModelEnv with(String name, long value) {
        params.put(name, value);
        return this;
    }

    /** Takes every page an atomic allocation could get, largest blocks first; they stay taken. */
    void exhaustMemory() {
        PageAlloc pa = kernel.machine().pageAlloc();
        for (int order = PageAlloc.MAX_ORDER - 1; order >= 0; order--) {
            while (pa.allocPages(Gfp.GFP_ATOMIC | Gfp.__GFP_NOWARN, order) != Page.NULL) {
                // keep it
            }
        }
    }

    /** NR_FREE_PAGES with the per-cpu lists drained back to the buddy allocator. */
    long freePages() {
        kernel.machine().pageAlloc().pcp().drainAllPages(null);
        return kernel.machine().pageAlloc().globalNrFreePages();
    }

    @Override
    public Kernel kernel() {
        return kernel;
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public DmaApi dma() {
        return dma;
    }

    @Override
    public long param(String name, long defaultValue) {
        return params.getOrDefault(name, defaultValue);
    }
}
