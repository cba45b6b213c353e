package dev.dmatrace.kernel.drivers.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.Errno;
import org.junit.jupiter.api.Test;

class StmmacTest {

    @Test
    void probe_allocatesTheDescriptorRing_ioMapsOneSkbPerPacket_andUnmapsOnCompletion() {
        ModelEnv env = ModelEnv.arm64("6.1").with("packets", 3).with("packet_size", 1514);
        long free = env.freePages();
        Stmmac eth = new Stmmac();

        assertThat(eth.probe(env)).isZero();
        assertThat(env.dma.calls("alloc").get(0).size()).isEqualTo(Stmmac.DMA_TX_SIZE * Stmmac.SIZEOF_DMA_DESC);
        long afterProbe = env.freePages();

        assertThat(eth.io(env)).isZero();

        assertThat(env.dma.calls("map")).hasSize(3).allSatisfy(c -> {
            assertThat(c.size()).isEqualTo(1514);
            assertThat(c.dev()).isSameAs(env.device());
        });
        assertThat(env.dma.calls("unmap")).extracting(RecordingDma.Call::dmaAddr)
                .containsExactlyElementsOf(env.dma.calls("map").stream().map(RecordingDma.Call::dmaAddr).toList());
        assertThat(env.freePages()).as("the skbs are freed after completion").isEqualTo(afterProbe);

        eth.remove(env);
        assertThat(env.freePages()).isEqualTo(free);
        assertThat(env.dma.outstanding()).isZero();
    }

    @Test
    void jumboFrameAbove8K_isSplitOverTwoDescriptors() {
        ModelEnv env = ModelEnv.arm64("6.1").with("packet_size", 9000);
        Stmmac eth = new Stmmac();
        assertThat(eth.probe(env)).isZero();

        assertThat(eth.io(env)).isZero();

        assertThat(env.dma.calls("map")).extracting(RecordingDma.Call::size).containsExactly(8192L, 9000L - 8192);
        RecordingDma.Call first = env.dma.calls("map").get(0);
        assertThat(env.dma.calls("map").get(1).cpuAddr()).isEqualTo(first.cpuAddr() + 8192);
        eth.remove(env);
        assertThat(env.dma.outstanding()).isZero();
    }

    @Test
    void moreFramesThanTheRing_areCleanedAsTheRingFills() {
        ModelEnv env = ModelEnv.arm64("6.1").with("packets", 600).with("packet_size", 64);
        long free = env.freePages();
        Stmmac eth = new Stmmac();
        assertThat(eth.probe(env)).isZero();

        assertThat(eth.io(env)).isZero();

        assertThat(env.dma.calls("map")).hasSize(600);
        eth.remove(env);
        assertThat(env.dma.outstanding()).isZero();
        assertThat(env.freePages()).isEqualTo(free);
    }

    @Test
    void mappingError_dropsTheFrame_andFreesItsSkb() {
        ModelEnv env = ModelEnv.arm64("6.1").with("packets", 2);
        Stmmac eth = new Stmmac();
        assertThat(eth.probe(env)).isZero();
        long afterProbe = env.freePages();
        env.dma.failMap(1);

        assertThat(eth.io(env)).isEqualTo(-Errno.ENOMEM);

        assertThat(eth.txDropped()).isEqualTo(1);
        assertThat(env.kernel().machine().printk().lines()).contains("platform drv0: Tx dma map failed");
        assertThat(env.freePages()).isEqualTo(afterProbe);
        eth.remove(env);
        assertThat(env.dma.outstanding()).isZero();
    }

    @Test
    void ringAllocationFailure_isEnomem() {
        ModelEnv env = ModelEnv.arm64("5.10");
        env.device().coherentDmaMask = 0xfffffL;
        long free = env.freePages();

        assertThat(new Stmmac().probe(env)).isEqualTo(-Errno.ENOMEM);

        assertThat(env.kernel().machine().printk().lines()).contains("stmmac_open: DMA descriptors allocation failed");
        assertThat(env.freePages()).isEqualTo(free);
    }
}
