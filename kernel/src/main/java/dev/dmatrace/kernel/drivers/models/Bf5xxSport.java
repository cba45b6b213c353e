package dev.dmatrace.kernel.drivers.models;

import dev.dmatrace.kernel.Errno;
import dev.dmatrace.kernel.KernelFunction;

/**
 * The Blackfin SPORT audio port, sound/soc/blackfin/bf5xx-sport.c (removed with arch/blackfin in 4.17):
 * sport_config_tx_dma() allocates the TX descriptor ring, {@code fragcount * sizeof(struct dmasg)}, with a NULL
 * device and gfp 0, keeps no bus address ({@code addr} is a local) and frees the ring with a handle of 0, in
 * sport_config_tx_dma() when the PCM is reconfigured and in sport_done().
 *
 * <p>The NULL device is passed on as the driver passes it. On a 4.4 ARM kernel arm_dma_ops takes it (32-bit mask,
 * and gfp 0 cannot sleep: the atomic pool). From 5.10 dma_alloc_attrs() dereferences {@code dev} and the kernel
 * oopses; the port's DmaMapping throws for it, and the model lets that propagate: the probing task dies, probe
 * never returns an errno. Parameters: {@code fragcount} (default 4), {@code fragsize} (default 4096, only in the
 * descriptors' x_count, which the simulation does not write).
 */
public final class Bf5xxSport implements DriverModel {

    /** sizeof(struct dmasg), arch/blackfin/include/asm/dma.h: seven packed 32-bit words. */
    static final long SIZEOF_DMASG = 28;

    private long txDesc;
    private long txDescSize;

    @Override
    public int probe(DriverEnv env) {
        return sportConfigTxDma(env, (int) env.param("fragcount", 4));
    }

    @KernelFunction(symbol = "sport_config_tx_dma", file = "sound/soc/blackfin/bf5xx-sport.c", versions = {"4.4"})
    int sportConfigTxDma(DriverEnv env, int fragcount) {
        if (txDesc != 0) {
            env.dma().dmaFreeCoherent(null, txDescSize, txDesc, 0);
        }
        long[] addr = new long[1];
        txDesc = env.dma().dmaAllocCoherent(null, fragcount * SIZEOF_DMASG, addr, 0);
        txDescSize = fragcount * SIZEOF_DMASG;
        if (txDesc == 0) {
            return -Errno.ENOMEM;
        }
        return 0;
    }

    /** The PCM's hw_params again (bf5xx_pcm_hw_params): a new ring replaces the old one. */
    @Override
    public int io(DriverEnv env) {
        return sportConfigTxDma(env, (int) env.param("fragcount", 4));
    }

    @Override
    @KernelFunction(symbol = "sport_done", file = "sound/soc/blackfin/bf5xx-sport.c", versions = {"4.4"})
    public void remove(DriverEnv env) {
        if (txDesc != 0) {
            env.dma().dmaFreeCoherent(null, txDescSize, txDesc, 0);
            txDesc = 0;
        }
    }
}
