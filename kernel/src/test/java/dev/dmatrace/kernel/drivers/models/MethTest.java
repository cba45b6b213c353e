package dev.dmatrace.kernel.drivers.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dmatrace.kernel.Errno;
import org.junit.jupiter.api.Test;

class MethTest {

    /** A 4.4 kernel: its arm_dma_ops map a NULL device's buffers, as the O2's 4.4 MIPS kernel did. */
    private static ModelEnv o2Like() {
        return ModelEnv.arm44();
    }

    @Test
    void probe_mapsRingSizeSkbHeads_withANullDevice() {
        ModelEnv env = o2Like();
        long free = env.freePages();
        Meth meth = new Meth();

        assertThat(meth.probe(env)).isZero();

        assertThat(env.dma.calls("map")).hasSize(Meth.RX_RING_ENTRIES).allSatisfy(c -> {
            assertThat(c.dev()).isNull();
            assertThat(c.size()).isEqualTo(Meth.METH_RX_BUFF_SIZE);
            assertThat(c.dmaAddr()).isEqualTo(env.kernel().remapLinear().virtToPhys(c.cpuAddr()));
        });
        // alloc_skb(4096): 4096 + skb_shared_info does not fit a page; kmalloc takes an order-1 block
        assertThat(env.freePages()).isEqualTo(free - 2L * Meth.RX_RING_ENTRIES);

        meth.remove(env);
        assertThat(env.dma.calls("unmap")).extracting(RecordingDma.Call::dmaAddr)
                .containsExactlyElementsOf(env.dma.calls("map").stream().map(RecordingDma.Call::dmaAddr).toList());
        assertThat(env.freePages()).isEqualTo(free);
    }

    @Test
    void io_unmapsTheFilledBuffer_andMapsAFreshSkbInItsPlace() {
        ModelEnv env = o2Like().with("ring_size", 4).with("buf_size", 1536);
        long free = env.freePages();
        Meth meth = new Meth();
        assertThat(meth.probe(env)).isZero();
        long afterProbe = env.freePages();
        long slot0 = env.dma.calls("map").get(0).dmaAddr();

        assertThat(meth.io(env)).isZero();

        assertThat(env.dma.calls.subList(4, 6)).extracting(RecordingDma.Call::fn).containsExactly("unmap", "map");
        assertThat(env.dma.calls.get(4).dmaAddr()).isEqualTo(slot0);
        assertThat(env.dma.calls.get(5).size()).isEqualTo(1536);
        assertThat(env.freePages()).as("the received skb went up the stack and was freed").isEqualTo(afterProbe);
        assertThat(meth.rxDropped()).isZero();

        for (int i = 0; i < 5; i++) {
            assertThat(meth.io(env)).isZero();
        }
        meth.remove(env);
        assertThat(env.dma.outstanding()).isZero();
        assertThat(env.freePages()).isEqualTo(free);
    }

    @Test
    void io_withoutMemoryForAFreshSkb_dropsTheFrame_andMapsTheOldBufferAgain() {
        ModelEnv env = o2Like().with("ring_size", 2);
        Meth meth = new Meth();
        assertThat(meth.probe(env)).isZero();
        long slot0Cpu = env.dma.calls("map").get(0).cpuAddr();
        env.exhaustMemory();

        assertThat(meth.io(env)).isEqualTo(-Errno.ENOMEM);

        assertThat(meth.rxDropped()).isEqualTo(1);
        assertThat(env.dma.calls("map")).hasSize(3).last().extracting(RecordingDma.Call::cpuAddr).isEqualTo(slot0Cpu);
    }

    @Test
    void probe_withoutMemoryForAnSkb_oopses_theDriverDoesNotCheckAllocSkb() {
        ModelEnv env = o2Like();
        env.exhaustMemory();
        assertThatThrownBy(() -> new Meth().probe(env)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("skb_reserve(NULL)");
    }

    @Test
    void from5_10_theNullDeviceOopsesInTheFirstMapping() {
        ModelEnv env = ModelEnv.arm64("5.10");
        assertThatThrownBy(() -> new Meth().probe(env)).isInstanceOf(RuntimeException.class);
        assertThat(env.dma.calls("map")).isEmpty();
    }
}
