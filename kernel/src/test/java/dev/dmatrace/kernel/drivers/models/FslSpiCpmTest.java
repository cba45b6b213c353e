package dev.dmatrace.kernel.drivers.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.Errno;
import org.junit.jupiter.api.Test;

class FslSpiCpmTest {

    @Test
    void probe_mapsTheZeroPageForTx_andTheDummyRxBuffer_removeUnmapsAndFrees() {
        ModelEnv env = ModelEnv.arm64("6.1");
        long free = env.freePages();
        FslSpiCpm spi = new FslSpiCpm();

        assertThat(spi.probe(env)).isZero();
        assertThat(env.dma.calls("map")).extracting(RecordingDma.Call::size).containsExactly(4096L, 4096L);
        assertThat(env.dma.calls("map").get(0).dmaAddr()).isEqualTo(spi.dummyTxDma());
        assertThat(env.dma.calls("map").get(1).dmaAddr()).isEqualTo(spi.dummyRxDma());
        assertThat(spi.dummyTxDma()).as("dma-direct: the bus address is the page's physical address")
                .isEqualTo(env.kernel().remapLinear().virtToPhys(env.dma.calls("map").get(0).cpuAddr()));
        assertThat(env.freePages()).as("zero page stand-in and fsl_dummy_rx").isEqualTo(free - 2);
        assertThat(spi.io(env)).isZero();

        spi.remove(env);
        assertThat(env.dma.calls("unmap")).extracting(RecordingDma.Call::dmaAddr)
                .containsExactly(spi.dummyRxDma(), spi.dummyTxDma());
        assertThat(env.freePages()).isEqualTo(free);
    }

    @Test
    void txMappingError_logsIt_freesTheDummyRx_andReturnsEnomem() {
        ModelEnv env = ModelEnv.arm64("6.1");
        // a 1 MiB streaming mask: no page of this board is reachable
        env.device().dmaMask = 0xfffffL;
        long free = env.freePages();

        FslSpiCpm spi = new FslSpiCpm();
        assertThat(spi.probe(env)).isEqualTo(-Errno.ENOMEM);

        assertThat(env.kernel().machine().printk().lines()).contains("platform drv0: unable to map dummy tx buffer");
        assertThat(env.dma.calls).isEmpty();
        assertThat(env.freePages()).isEqualTo(free);
        spi.remove(env);
        assertThat(env.dma.calls).isEmpty();
        assertThat(env.freePages()).isEqualTo(free);
    }

    @Test
    void rxMappingError_unmapsTheTxPage_err_dummy_rx() {
        ModelEnv env = ModelEnv.arm64("6.1");
        env.dma.failMap(1);
        long free = env.freePages();

        assertThat(new FslSpiCpm().probe(env)).isEqualTo(-Errno.ENOMEM);

        assertThat(env.kernel().machine().printk().lines()).contains("platform drv0: unable to map dummy rx buffer");
        assertThat(env.dma.calls).extracting(RecordingDma.Call::fn).containsExactly("map", "unmap");
        assertThat(env.dma.calls.get(1).dmaAddr()).isEqualTo(env.dma.calls.get(0).dmaAddr());
        assertThat(env.freePages()).isEqualTo(free);
    }
}
