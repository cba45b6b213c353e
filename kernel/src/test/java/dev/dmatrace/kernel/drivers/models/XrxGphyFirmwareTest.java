package dev.dmatrace.kernel.drivers.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.Errno;
import org.junit.jupiter.api.Test;

class XrxGphyFirmwareTest {

    @Test
    void probe_overAllocatesByTheAlignment_andAlignsCpuAndBusAddress() {
        ModelEnv env = ModelEnv.arm64("6.1").with("size", 65536);
        long free = env.freePages();
        XrxGphyFirmware fw = new XrxGphyFirmware();

        assertThat(fw.probe(env)).isZero();

        RecordingDma.Call alloc = env.dma.calls("alloc").get(0);
        assertThat(alloc.size()).isEqualTo(65536 + 16384);
        assertThat(fw.firmwareAddr() % 16384).isZero();
        assertThat(fw.firmwareDmaAddr() % 16384).isZero();
        assertThat(fw.firmwareAddr()).isBetween(alloc.cpuAddr(), alloc.cpuAddr() + 16383);
        assertThat(fw.firmwareDmaAddr() - alloc.dmaAddr()).as("the same shift on both sides of the buffer")
                .isBetween(0L, 16383L);
        assertThat(fw.io(env)).isZero();

        fw.remove(env);
        RecordingDma.Call free1 = env.dma.calls("free").get(0);
        assertThat(free1).as("freed with the pointers the allocation returned")
                .isEqualTo(new RecordingDma.Call("free", env.device(), alloc.size(), alloc.cpuAddr(), alloc.dmaAddr()));
        assertThat(env.freePages()).isEqualTo(free);
    }

    @Test
    void probe_honoursTheAlignParameter() {
        ModelEnv env = ModelEnv.arm64("6.1").with("size", 10000).with("align", 1 << 20);
        XrxGphyFirmware fw = new XrxGphyFirmware();
        assertThat(fw.probe(env)).isZero();
        assertThat(env.dma.calls("alloc").get(0).size()).isEqualTo(10000 + (1 << 20));
        assertThat(fw.firmwareDmaAddr() & ((1 << 20) - 1)).isZero();
        fw.remove(env);
    }

    @Test
    void allocationFailure_logsTheDriversMessage_andProbeFailsWithEinval() {
        ModelEnv env = ModelEnv.arm64("6.1");
        // no memory below 1 MiB on this board: dma-direct cannot satisfy the mask
        env.device().coherentDmaMask = 0xfffffL;
        long free = env.freePages();
        XrxGphyFirmware fw = new XrxGphyFirmware();

        assertThat(fw.probe(env)).isEqualTo(-Errno.EINVAL);

        assertThat(env.kernel().machine().printk().lines())
                .contains("platform drv0: failed to alloc firmware memory");
        fw.remove(env);
        assertThat(env.dma.calls("free")).isEmpty();
        assertThat(env.freePages()).isEqualTo(free);
    }
}
