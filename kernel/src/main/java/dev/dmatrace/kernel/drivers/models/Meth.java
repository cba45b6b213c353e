package dev.dmatrace.kernel.drivers.models;

import dev.dmatrace.kernel.Errno;
import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.dma.DmaMapping;
import dev.dmatrace.kernel.mm.Gfp;

/**
 * The SGI O2 MACE Ethernet RX ring, drivers/net/ethernet/sgi/meth.c (4.4): meth_init_rx_ring() allocates an skb
 * per entry and maps its head with dma_map_single(NULL, ...), unchecked, as the driver does; meth_rx() unmaps the
 * filled buffer, hands it to the stack and maps a fresh skb in its place; meth_free_rx_ring() unmaps and frees.
 *
 * <p>The NULL device is passed on as in the driver (it became {@code &priv->pdev->dev} in 5.1). From 5.10 the DMA
 * API dereferences it and the kernel oopses; the port's DmaMapping throws and the model lets it propagate, like
 * {@link Bf5xxSport}. An alloc_skb() failure in meth_init_rx_ring() is not checked either: skb_reserve() of NULL
 * oopses, which the model throws as well. Parameters: {@code ring_size} (default RX_RING_ENTRIES),
 * {@code buf_size} (default METH_RX_BUFF_SIZE).
 */
public final class Meth implements DriverModel {

    static final int RX_RING_ENTRIES = 16;
    static final long METH_RX_BUFF_SIZE = 4096;
    /** 8-byte status vector + 3 quads + 2 bytes of padding: the data starts 64-bit aligned. */
    static final long METH_RX_HEAD = 34;

    private Skb[] rxSkbs;
    private long[] rxRingDmas;
    private long bufSize;
    private int rxWrite;
    private long rxDropped;

    @Override
    @KernelFunction(symbol = "meth_init_rx_ring", file = "drivers/net/ethernet/sgi/meth.c", versions = {"4.4"})
    public int probe(DriverEnv env) {
        int ringSize = (int) env.param("ring_size", RX_RING_ENTRIES);
        bufSize = env.param("buf_size", METH_RX_BUFF_SIZE);
        rxSkbs = new Skb[ringSize];
        rxRingDmas = new long[ringSize];
        for (int i = 0; i < ringSize; i++) {
            rxSkbs[i] = Skb.alloc(env, bufSize, 0);
            if (rxSkbs[i] == null) {
                throw new IllegalStateException(
                        "Unable to handle kernel NULL pointer dereference: meth_init_rx_ring skb_reserve(NULL)");
            }
            rxSkbs[i].reserve(METH_RX_HEAD);
            // rx_ring[i] is the head: the status vector the MAC writes comes first
            rxRingDmas[i] = env.dma().dmaMapSingle(null, rxSkbs[i].head, bufSize, DmaMapping.DMA_FROM_DEVICE);
        }
        rxWrite = 0;
        return 0;
    }

    /**
     * meth_rx() for one received frame: the buffer is unmapped and goes up the stack (which consumes it at once
     * here); when no skb can be had, the frame is dropped and its buffer mapped again. io() reports a drop as
     * -ENOMEM; the driver only counts rx_dropped.
     */
    @Override
    @KernelFunction(symbol = "meth_rx", file = "drivers/net/ethernet/sgi/meth.c", versions = {"4.4"})
    public int io(DriverEnv env) {
        env.dma().dmaUnmapSingle(null, rxRingDmas[rxWrite], bufSize, DmaMapping.DMA_FROM_DEVICE);
        Skb skb = Skb.alloc(env, bufSize, Gfp.GFP_ATOMIC);
        int ret = 0;
        if (skb == null) {
            rxDropped++;
            skb = rxSkbs[rxWrite];
            ret = -Errno.ENOMEM;
        } else {
            // netif_rx(): the stack consumes the frame
            rxSkbs[rxWrite].free(env);
            skb.reserve(METH_RX_HEAD);
        }
        rxSkbs[rxWrite] = skb;
        rxRingDmas[rxWrite] = env.dma().dmaMapSingle(null, skb.head, bufSize, DmaMapping.DMA_FROM_DEVICE);
        rxWrite = (rxWrite + 1) % rxSkbs.length;
        return ret;
    }

    @Override
    @KernelFunction(symbol = "meth_free_rx_ring", file = "drivers/net/ethernet/sgi/meth.c", versions = {"4.4"})
    public void remove(DriverEnv env) {
        for (int i = 0; i < rxSkbs.length; i++) {
            env.dma().dmaUnmapSingle(null, rxRingDmas[i], bufSize, DmaMapping.DMA_FROM_DEVICE);
            rxRingDmas[i] = 0;
            rxSkbs[i].free(env);
        }
    }

    /** Frames dropped for want of a fresh skb (dev->stats.rx_dropped). */
    public long rxDropped() {
        return rxDropped;
    }
}
