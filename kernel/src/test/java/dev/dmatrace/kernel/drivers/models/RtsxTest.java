package dev.dmatrace.kernel.drivers.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.Errno;
import org.junit.jupiter.api.Test;

class RtsxTest {

    @Test
    void probe_allocatesTheReservedBuffer_ofRtsxResvBufLen() {
        ModelEnv env = ModelEnv.arm64("6.1");
        long free = env.freePages();
        Rtsx rtsx = new Rtsx();

        assertThat(rtsx.probe(env)).isZero();
        RecordingDma.Call alloc = env.dma.calls("alloc").get(0);
        assertThat(alloc.size()).isEqualTo(Rtsx.RTSX_RESV_BUF_LEN);
        assertThat(rtsx.io(env)).isZero();

        rtsx.remove(env);
        assertThat(env.dma.calls("free")).singleElement().extracting(RecordingDma.Call::cpuAddr)
                .isEqualTo(alloc.cpuAddr());
        assertThat(env.freePages()).isEqualTo(free);
    }

    @Test
    void sizeParameter_changesTheAllocation() {
        ModelEnv env = ModelEnv.arm64("6.1").with("size", 1 << 20);
        Rtsx rtsx = new Rtsx();
        assertThat(rtsx.probe(env)).isZero();
        assertThat(env.dma.calls("alloc").get(0).size()).isEqualTo(1 << 20);
        rtsx.remove(env);
        assertThat(env.dma.calls("free").get(0).size()).isEqualTo(1 << 20);
    }

    @Test
    void allocationFailure_isEnxio_andRemoveHasNothingToFree() {
        ModelEnv env = ModelEnv.arm64("6.1");
        env.device().coherentDmaMask = 0xfffffL;
        long free = env.freePages();
        Rtsx rtsx = new Rtsx();

        assertThat(rtsx.probe(env)).isEqualTo(-Errno.ENXIO);

        assertThat(env.kernel().machine().printk().lines()).contains("platform drv0: alloc dma buffer fail");
        rtsx.remove(env);
        assertThat(env.dma.calls("free")).isEmpty();
        assertThat(env.freePages()).isEqualTo(free);
    }
}
