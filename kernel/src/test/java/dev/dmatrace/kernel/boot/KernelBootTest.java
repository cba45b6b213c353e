package dev.dmatrace.kernel.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dmatrace.kernel.drivers.base.Device;
import dev.dmatrace.kernel.mm.DebugVm;
import dev.dmatrace.kernel.of.DeviceTree;
import dev.dmatrace.kernel.of.DtsException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Booting a kernel from a board, a devicetree and a command line, with the kernel's boot log. */
class KernelBootTest {

    private static DeviceTree refA64() throws Exception {
        try (InputStream in = KernelBootTest.class.getResourceAsStream("/dts/ref-a64.dts")) {
            return DeviceTree.parse("ref-a64.dts", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.10", "6.1", "6.12"})
    void dtsBoard_defaultCma_perDeviceCma_coherentPool_bootAndBind(String v) throws Exception {
        Kernel k = Kernel.boot(Boards.VIRT_ARM64.withProfile(KernelProfile.parse(v)), refA64(), null);
        assertThat(k.machine().board().ramBytes()).as("RAM from the memory node").isEqualTo(2L << 30);
        assertThat(k.bootLog()).contains(
                "Reserved memory: created CMA memory pool at 0x0000000090000000, size 256 MiB",
                "Reserved memory: created CMA memory pool at 0x0000000078000000, size 64 MiB",
                "Reserved memory: created DMA memory pool at 0x000000007c000000, size 16 MiB",
                "DMA: preallocated 256 KiB GFP_KERNEL pool for atomic allocations",
                "platform 10000000.video-codec: assigned reserved memory node vpu@78000000");
        assertThat(k.contiguous().defaultArea().name()).isEqualTo("linux,cma");
        Device vpu = k.device("10000000.video-codec");
        assertThat(vpu.cmaArea.name()).isEqualTo("vpu@78000000");
        assertThat(k.device("11000000.dsp").dmaMem.pages()).isEqualTo(4096);
        assertThat(DebugVm.check(k.machine().pageAlloc())).isEmpty();
    }

    @Test
    void cmdlineCma_bypassesTheDtDefault_andReservesItsOwn() throws Exception {
        Kernel k = Kernel.boot(Boards.VIRT_ARM64, refA64(), "cma=32M");
        assertThat(k.bootLog()).contains("Reserved memory: bypass linux,cma node, using cmdline CMA params instead")
                .anyMatch(l -> l.startsWith("cma: Reserved 32 MiB at 0x"));
        assertThat(k.contiguous().defaultArea().name()).isEqualTo("reserved");
    }

    @Test
    void cmaWithARange_placedTopDownInsideIt_coherentPoolSizesThePools() throws Exception {
        Kernel k = Kernel.boot(Boards.ORACLE_ARM64_512M, null, "cma=64M@0x40000000-0x50000000 coherent_pool=512K");
        assertThat(k.bootLog()).contains("cma: Reserved 64 MiB at 0x000000004c000000",
                "DMA: preallocated 512 KiB GFP_KERNEL|GFP_DMA pool for atomic allocations");
    }

    @Test
    void bareCmaParameter_6_1_isTheKernelsMessage_andKconfigDecides() throws Exception {
        Kernel k = Kernel.boot(Boards.ORACLE_ARM64_512M, null, "console=ttyAMA0 cma");
        assertThat(k.bootLog()).startsWith("cma: Config string not provided")
                .anyMatch(l -> l.startsWith("cma: Reserved 64 MiB at "));
    }

    @Test
    void noDts_kconfigDefault64M_andAtomicPoolsFromCma_6_1() throws Exception {
        Kernel k = Kernel.boot(Boards.ORACLE_ARM64_512M, null, "");
        assertThat(k.bootLog()).contains("cma: Reserved 64 MiB at 0x000000005c000000",
                "DMA: preallocated 128 KiB GFP_KERNEL|GFP_DMA32 pool for atomic allocations");
        assertThat(k.machine().cma().areas().get(0).allocPagesSuccess()).isEqualTo(96);
    }

    @Test
    void kconfigWithoutCma_noDefaultArea_atomicPoolsFromTheBuddy() throws Exception {
        Board b = Boards.ORACLE_ARM64_512M;
        BootOptions o = BootOptions.defaults(b).withKconfig(Kconfig.defaults(b.arch(), b.profile()).withCmaSizeMbytes(0));
        Kernel k = Kernel.boot(b, null, "", o);
        assertThat(k.contiguous().defaultArea()).isNull();
        assertThat(k.bootLog()).noneMatch(l -> l.startsWith("cma: Reserved"))
                .contains("DMA: preallocated 128 KiB GFP_KERNEL pool for atomic allocations");
        Device dev = k.createDevice("d");
        assertThat(k.dma().dmaSetMaskAndCoherent(dev, -1L)).isZero();
        assertThat(dev.dmaMask).isEqualTo(-1L);
        assertThat(dev.coherentDmaMask).isEqualTo(-1L);
    }

    @Test
    void unterminatedNode_isAParserErrorWithLineAndColumn() {
        assertThatThrownBy(() -> Kernel.boot(Boards.VIRT_ARM64,
                DeviceTree.parse("bad.dts", "/dts-v1/;\n/ {\n\tmemory@40000000 {\n"), null))
                .isInstanceOf(DtsException.class).hasMessageMatching("bad\\.dts:\\d+:\\d+: .*");
    }

    @Test
    void misalignedCma_andOverlap_giveTheKernelsMessages() throws Exception {
        String dts = """
                /dts-v1/;
                / {
                    #address-cells = <1>; #size-cells = <1>;
                    memory@40000000 { device_type = "memory"; reg = <0x40000000 0x20000000>; };
                    reserved-memory {
                        #address-cells = <1>; #size-cells = <1>; ranges;
                        bad: cma@48100000 { compatible = "shared-dma-pool"; reusable; reg = <0x48100000 0x400000>; };
                        a@50000000 { compatible = "shared-dma-pool"; no-map; reg = <0x50000000 0x200000>; };
                        b@50100000 { compatible = "shared-dma-pool"; no-map; reg = <0x50100000 0x200000>; };
                    };
                };
                """;
        Kernel k = Kernel.boot(Boards.ORACLE_ARM64_512M, DeviceTree.parse("m.dts", dts), "");
        assertThat(k.bootLog()).contains("Reserved memory: incorrect alignment of CMA region")
                .anyMatch(l -> l.startsWith("OF: reserved mem: OVERLAP DETECTED!"));
    }

    @Test
    void badCells_inReg_giveTheFdtMessage_andTheNodeIsSkipped() throws Exception {
        String dts = """
                /dts-v1/;
                / {
                    #address-cells = <1>; #size-cells = <1>;
                    memory@40000000 { device_type = "memory"; reg = <0x40000000 0x20000000>; };
                    reserved-memory {
                        #address-cells = <1>; #size-cells = <1>; ranges;
                        pool@50000000 { compatible = "shared-dma-pool"; no-map; reg = <0x50000000 0x100000 0x0>; };
                    };
                };
                """;
        Kernel k = Kernel.boot(Boards.ORACLE_ARM64_512M, DeviceTree.parse("c.dts", dts), "");
        assertThat(k.bootLog()).contains("OF: fdt: Reserved memory: invalid reg property in 'pool@50000000', "
                + "skipping node.").noneMatch(l -> l.contains("created DMA memory pool"));
    }

    @Test
    void unknownPhandle_isReportedNotThrownAsATrace() {
        String dts = "/dts-v1/;\n/ { dev@1 { reg = <1 1>; memory-region = <&nope>; }; };\n";
        assertThatThrownBy(() -> Kernel.boot(Boards.ORACLE_ARM64_512M, DeviceTree.parse("p.dts", dts), ""))
                .isInstanceOf(DtsException.class).hasMessageContaining("nope");
    }
}
