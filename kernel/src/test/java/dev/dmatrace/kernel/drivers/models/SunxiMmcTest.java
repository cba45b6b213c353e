package dev.dmatrace.kernel.drivers.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.Errno;
import org.junit.jupiter.api.Test;

class SunxiMmcTest {

    @Test
    void probe_allocatesOnePageOfDescriptors_removeFreesIt() {
        ModelEnv env = ModelEnv.arm64("6.1");
        long free = env.freePages();
        SunxiMmc mmc = new SunxiMmc();

        assertThat(mmc.probe(env)).isZero();
        RecordingDma.Call alloc = env.dma.calls("alloc").get(0);
        assertThat(alloc.size()).isEqualTo(4096);
        assertThat(alloc.dev()).isSameAs(env.device());
        assertThat(alloc.cpuAddr()).isNotZero();
        assertThat(mmc.io(env)).isZero();

        mmc.remove(env);
        assertThat(env.dma.calls("free")).singleElement()
                .isEqualTo(new RecordingDma.Call("free", env.device(), 4096, alloc.cpuAddr(), alloc.dmaAddr()));
        assertThat(env.freePages()).isEqualTo(free);
    }

    @Test
    void allocationFailure_isEnomem_withTheDriversMessage() {
        ModelEnv env = ModelEnv.arm64("5.10");
        env.device().coherentDmaMask = 0xfffffL;
        long free = env.freePages();

        assertThat(new SunxiMmc().probe(env)).isEqualTo(-Errno.ENOMEM);

        assertThat(env.kernel().machine().printk().lines())
                .contains("platform drv0: Failed to allocate DMA descriptor mem");
        assertThat(env.freePages()).isEqualTo(free);
    }
}
