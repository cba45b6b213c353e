package dev.dmatrace.kernel.drivers.models;

import dev.dmatrace.kernel.Errno;
import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.mm.Gfp;

/**
 * The Realtek PCI-E card reader, drivers/staging/rts5208/rtsx.c: rtsx_probe() allocates the reserved buffer that
 * holds the host command list and the scatter-gather table ({@code rtsx_resv_buf}, RTSX_RESV_BUF_LEN), and
 * rtsx_release_resources() frees it. Parameter: {@code size} (default RTSX_RESV_BUF_LEN).
 */
public final class Rtsx implements DriverModel {

    static final long RTSX_RESV_BUF_LEN = 4096;

    private long size;
    private long rtsxResvBuf;
    private long rtsxResvBufAddr;

    @Override
    @KernelFunction(symbol = "rtsx_probe", file = "drivers/staging/rts5208/rtsx.c")
    public int probe(DriverEnv env) {
        size = env.param("size", RTSX_RESV_BUF_LEN);
        long[] handle = new long[1];
        rtsxResvBuf = env.dma().dmaAllocCoherent(env.device(), size, handle, Gfp.GFP_KERNEL);
        if (rtsxResvBuf == 0) {
            DevPrintk.devErr(env, env.device(), "alloc dma buffer fail");
            // goto errout: release_everything() finds no buffer to free
            return -Errno.ENXIO;
        }
        rtsxResvBufAddr = handle[0];
        return 0;
    }

    /** A SCSI command is built in the reserved buffer: no further DMA API call. */
    @Override
    public int io(DriverEnv env) {
        return 0;
    }

    @Override
    @KernelFunction(symbol = "rtsx_release_resources", file = "drivers/staging/rts5208/rtsx.c")
    public void remove(DriverEnv env) {
        if (rtsxResvBuf != 0) {
            env.dma().dmaFreeCoherent(env.device(), size, rtsxResvBuf, rtsxResvBufAddr);
            rtsxResvBuf = 0;
        }
    }
}
