package dev.dmatrace.kernel.drivers.models;

import dev.dmatrace.kernel.Errno;
import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.dma.DmaMapping;
import dev.dmatrace.kernel.drivers.base.Device;
import dev.dmatrace.kernel.mm.Gfp;

/**
 * The Freescale SPI controller in CPM/QE mode, drivers/spi/spi-fsl-cpm.c: fsl_spi_cpm_init() maps a dummy TX page
 * (the kernel's {@code empty_zero_page}, sent when a transfer has no tx_buf) and the dummy RX buffer
 * ({@code fsl_dummy_rx}, kmalloc(SPI_MRBLR)) once, checks each with dma_mapping_error() and unwinds in the
 * driver's label order; fsl_spi_cpm_free() undoes it. The parameter RAM and buffer descriptors live in the CPM's
 * own multi-user RAM (cpm_muram_alloc), not in system memory, and are not simulated.
 */
public final class FslSpiCpm implements DriverModel {

    static final long PAGE_SIZE = 4096;
    /** SPI_MRBLR: the largest receive buffer, one page. */
    static final long SPI_MRBLR = PAGE_SIZE;

    private long emptyZeroPage;
    private long fslDummyRx;
    private long dmaDummyTx;
    private long dmaDummyRx;

    @Override
    @KernelFunction(symbol = "fsl_spi_cpm_init", file = "drivers/spi/spi-fsl-cpm.c")
    public int probe(DriverEnv env) {
        Device dev = env.device();
        // the kernel's zero page exists from boot; the port sets none aside, so the model takes a page for it
        emptyZeroPage = KernelBuffers.alloc(env, PAGE_SIZE, Gfp.GFP_KERNEL);
        if (emptyZeroPage == 0) {
            return -Errno.ENOMEM;
        }
        // fsl_spi_alloc_dummy_rx(): the driver shares one buffer among its controllers; the model has one each
        fslDummyRx = KernelBuffers.alloc(env, SPI_MRBLR, Gfp.GFP_KERNEL);
        if (fslDummyRx == 0) {
            freeZeroPage(env);
            return -Errno.ENOMEM;
        }
        dmaDummyTx = env.dma().dmaMapSingle(dev, emptyZeroPage, PAGE_SIZE, DmaMapping.DMA_TO_DEVICE);
        if (env.dma().dmaMappingError(dev, dmaDummyTx) != 0) {
            DevPrintk.devErr(env, dev, "unable to map dummy tx buffer");
            return errDummyTx(env);
        }
        dmaDummyRx = env.dma().dmaMapSingle(dev, fslDummyRx, SPI_MRBLR, DmaMapping.DMA_FROM_DEVICE);
        if (env.dma().dmaMappingError(dev, dmaDummyRx) != 0) {
            DevPrintk.devErr(env, dev, "unable to map dummy rx buffer");
            // err_dummy_rx:
            env.dma().dmaUnmapSingle(dev, dmaDummyTx, PAGE_SIZE, DmaMapping.DMA_TO_DEVICE);
            return errDummyTx(env);
        }
        return 0;
    }

    /** err_dummy_tx: cpm_muram_free(bds); err_bds: cpm_muram_free(pram); err_pram: fsl_spi_free_dummy_rx(). */
    private int errDummyTx(DriverEnv env) {
        KernelBuffers.free(env, fslDummyRx, SPI_MRBLR);
        fslDummyRx = 0;
        freeZeroPage(env);
        return -Errno.ENOMEM;
    }

    private void freeZeroPage(DriverEnv env) {
        KernelBuffers.free(env, emptyZeroPage, PAGE_SIZE);
        emptyZeroPage = 0;
    }

    /** A receive-only transfer: fsl_spi_cpm_bufs() points the TX descriptor at dma_dummy_tx, nothing is mapped. */
    @Override
    public int io(DriverEnv env) {
        return 0;
    }

    @Override
    @KernelFunction(symbol = "fsl_spi_cpm_free", file = "drivers/spi/spi-fsl-cpm.c")
    public void remove(DriverEnv env) {
        if (fslDummyRx == 0) {
            // probe failed and unwound: nothing is held (the driver core would not call remove at all)
            return;
        }
        Device dev = env.device();
        env.dma().dmaUnmapSingle(dev, dmaDummyRx, SPI_MRBLR, DmaMapping.DMA_FROM_DEVICE);
        env.dma().dmaUnmapSingle(dev, dmaDummyTx, PAGE_SIZE, DmaMapping.DMA_TO_DEVICE);
        KernelBuffers.free(env, fslDummyRx, SPI_MRBLR);
        fslDummyRx = 0;
        freeZeroPage(env);
    }

    public long dummyTxDma() {
        return dmaDummyTx;
    }

    public long dummyRxDma() {
        return dmaDummyRx;
    }
}
