package dev.dmatrace.kernel.drivers.models;

import dev.dmatrace.kernel.Errno;
import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.dma.DmaMapping;
import dev.dmatrace.kernel.drivers.base.Device;
import dev.dmatrace.kernel.mm.Gfp;

/**
 * The STMicro/Synopsys GMAC TX ring in ring mode with enhanced descriptors,
 * drivers/net/ethernet/stmicro/stmmac/stmmac_main.c and ring_mode.c (4.4): stmmac_open() allocates the coherent
 * descriptor ring (alloc_dma_desc_resources), stmmac_xmit() maps each skb's linear data into a descriptor with
 * dma_map_single() — through stmmac_jumbo_frm() from 4 KiB up, which splits a frame above 8 KiB over two
 * descriptors — and stmmac_tx_clean() unmaps and frees on completion. Parameters: {@code packets} per io()
 * (default 1), {@code packet_size} (default 1514).
 */
public final class Stmmac implements DriverModel {

    static final int DMA_TX_SIZE = 256;
    /** sizeof(struct dma_desc): des0..des3. */
    static final long SIZEOF_DMA_DESC = 16;
    static final long BUF_SIZE_4KiB = 4096;
    static final long BUF_SIZE_8KiB = 8192;
    /** NET_SKB_PAD + NET_IP_ALIGN: the headroom the stack leaves in front of a frame. */
    static final long HEADROOM = 64 + 2;

    private long dmaTx;
    private long dmaTxPhy;
    private final long[] txSkbuffDmaBuf = new long[DMA_TX_SIZE];
    private final long[] txSkbuffDmaLen = new long[DMA_TX_SIZE];
    private final Skb[] txSkbuff = new Skb[DMA_TX_SIZE];
    private int curTx;
    private int dirtyTx;
    private long txDropped;

    /** alloc_dma_desc_resources(), the TX half; tx_skbuff and tx_skbuff_dma are the arrays above. */
    @Override
    @KernelFunction(symbol = "stmmac_open", file = "drivers/net/ethernet/stmicro/stmmac/stmmac_main.c",
            versions = {"4.4"})
    public int probe(DriverEnv env) {
        long[] handle = new long[1];
        dmaTx = env.dma().dmaAllocCoherent(env.device(), DMA_TX_SIZE * SIZEOF_DMA_DESC, handle, Gfp.GFP_KERNEL);
        if (dmaTx == 0) {
            DevPrintk.prErr(env, "stmmac_open: DMA descriptors allocation failed");
            return -Errno.ENOMEM;
        }
        dmaTxPhy = handle[0];
        return 0;
    }

    /**
     * {@code packets} frames from the stack, then the TX-complete interrupt. A full ring is cleaned first, as the
     * hardware would have finished by the time the queue restarts. The driver returns NETDEV_TX_OK for a frame it
     * dropped and counts it; io() reports a drop as -ENOMEM.
     */
    @Override
    public int io(DriverEnv env) {
        long packets = env.param("packets", 1);
        long size = env.param("packet_size", 1514);
        long dropped = txDropped;
        for (long i = 0; i < packets; i++) {
            if (stmmacTxAvail() < 2) {
                stmmacTxClean(env);
            }
            Skb skb = Skb.alloc(env, HEADROOM + size, Gfp.GFP_KERNEL);
            if (skb == null) {
                txDropped++;
                continue;
            }
            skb.reserve(HEADROOM);
            stmmacXmit(env, skb, size);
        }
        stmmacTxClean(env);
        return txDropped == dropped ? 0 : -Errno.ENOMEM;
    }

    private int stmmacTxAvail() {
        return dirtyTx + DMA_TX_SIZE - curTx - 1;
    }

    @KernelFunction(symbol = "stmmac_xmit", file = "drivers/net/ethernet/stmicro/stmmac/stmmac_main.c",
            versions = {"4.4"})
    void stmmacXmit(DriverEnv env, Skb skb, long nopagedLen) {
        Device dev = env.device();
        int entry = curTx % DMA_TX_SIZE;
        if (nopagedLen >= BUF_SIZE_4KiB) {
            entry = stmmacJumboFrm(env, skb, nopagedLen);
        } else if (!mapDesc(env, entry, skb.data, nopagedLen)) {
            entry = -1;
        }
        if (entry < 0) {
            // dma_map_err:
            DevPrintk.devErr(env, dev, "Tx dma map failed");
            skb.free(env);
            txDropped++;
            return;
        }
        // the skb is released with the frame's last descriptor
        txSkbuff[entry] = skb;
        curTx++;
    }

    /**
     * stmmac_jumbo_frm() (ring_mode.c): bmax is BUF_SIZE_8KiB with enhanced descriptors. Above 8 KiB the first
     * descriptor takes bmax bytes and the ring moves on before the rest is mapped. -1 on a mapping error.
     */
    @KernelFunction(symbol = "stmmac_jumbo_frm", file = "drivers/net/ethernet/stmicro/stmmac/ring_mode.c",
            versions = {"4.4"})
    int stmmacJumboFrm(DriverEnv env, Skb skb, long nopagedLen) {
        int entry = curTx % DMA_TX_SIZE;
        long bmax = BUF_SIZE_8KiB;
        long len = nopagedLen - bmax;
        if (nopagedLen > BUF_SIZE_8KiB) {
            if (!mapDesc(env, entry, skb.data, bmax)) {
                return -1;
            }
            txSkbuff[entry] = null;
            entry = (++curTx) % DMA_TX_SIZE;
            if (!mapDesc(env, entry, skb.data + bmax, len)) {
                return -1;
            }
        } else if (!mapDesc(env, entry, skb.data, nopagedLen)) {
            return -1;
        }
        return entry;
    }

    /** desc->des2 = dma_map_single(priv->device, addr, len, DMA_TO_DEVICE), kept in tx_skbuff_dma[entry]. */
    private boolean mapDesc(DriverEnv env, int entry, long addr, long len) {
        long des2 = env.dma().dmaMapSingle(env.device(), addr, len, DmaMapping.DMA_TO_DEVICE);
        if (env.dma().dmaMappingError(env.device(), des2) != 0) {
            return false;
        }
        txSkbuffDmaBuf[entry] = des2;
        txSkbuffDmaLen[entry] = len;
        return true;
    }

    /** stmmac_tx_clean(): every descriptor from dirty_tx to cur_tx is done; unmap, then free the skb. */
    @KernelFunction(symbol = "stmmac_tx_clean", file = "drivers/net/ethernet/stmicro/stmmac/stmmac_main.c",
            versions = {"4.4"})
    void stmmacTxClean(DriverEnv env) {
        while (dirtyTx != curTx) {
            int entry = dirtyTx % DMA_TX_SIZE;
            if (txSkbuffDmaBuf[entry] != 0) {
                env.dma().dmaUnmapSingle(env.device(), txSkbuffDmaBuf[entry], txSkbuffDmaLen[entry],
                        DmaMapping.DMA_TO_DEVICE);
                txSkbuffDmaBuf[entry] = 0;
            }
            if (txSkbuff[entry] != null) {
                txSkbuff[entry].free(env);
                txSkbuff[entry] = null;
            }
            dirtyTx++;
        }
    }

    /** stmmac_release() → free_dma_desc_resources(): pending frames (dma_free_tx_skbufs), then the ring. */
    @Override
    @KernelFunction(symbol = "stmmac_release", file = "drivers/net/ethernet/stmicro/stmmac/stmmac_main.c",
            versions = {"4.4"})
    public void remove(DriverEnv env) {
        stmmacTxClean(env);
        env.dma().dmaFreeCoherent(env.device(), DMA_TX_SIZE * SIZEOF_DMA_DESC, dmaTx, dmaTxPhy);
        dmaTx = 0;
    }

    /** Frames dropped on a mapping or skb allocation failure (dev->stats.tx_dropped). */
    public long txDropped() {
        return txDropped;
    }
}
