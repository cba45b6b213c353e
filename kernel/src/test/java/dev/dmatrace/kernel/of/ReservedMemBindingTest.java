package dev.dmatrace.kernel.of;

import dev.dmatrace.kernel.Errno;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dmatrace.kernel.boot.Arch;
import org.junit.jupiter.api.Test;

/** of_reserved_mem_device_init_by_idx and friends: devices bound to regions through memory-region phandles. */
class ReservedMemBindingTest {

    private final RecordingBackend backend = new RecordingBackend();

    private OfBoot boot(String dts, String version, Arch arch) throws DtsException {
        return OfBoot.run(DtsTestFiles.parse(dts), new OfProfile(version, arch), backend, false);
    }

    private static OfDevice device(OfBoot boot, String label) throws DtsException {
        return OfPlatformDevice.of(boot.tree().byLabel(label).orElseThrow());
    }

    @Test
    void cmaRegion_becomesTheDevicesCmaArea() throws DtsException {
        OfBoot boot = boot("ref-a64.dts", "6.1", Arch.ARM64);
        OfDevice vpu = device(boot, "vpu");

        assertThat(boot.reservedMem().deviceInitByIdx(vpu, vpu.ofNode(), 0)).isZero();

        assertThat(vpu.devName()).isEqualTo("10000000.video-codec");
        assertThat(backend.cmaArea).containsEntry("10000000.video-codec", "cma:vpu@78000000");
        assertThat(boot.log().texts()).last()
                .isEqualTo("platform 10000000.video-codec: assigned reserved memory node vpu@78000000");
    }

    @Test
    void namedRegions_pickTheirIndexFromMemoryRegionNames() throws DtsException {
        OfBoot boot = boot("ref-a64.dts", "5.10", Arch.ARM64);
        OfDevice dsp = device(boot, "dsp");

        assertThat(boot.reservedMem().deviceInitByName(dsp, dsp.ofNode(), "pool")).isZero();
        assertThat(boot.reservedMem().deviceInitByName(dsp, dsp.ofNode(), "cma")).isZero();

        assertThat(backend.dmaMem).containsEntry("11000000.dsp", "dma:dsp@7c000000");
        assertThat(backend.cmaArea).containsEntry("11000000.dsp", "cma:vpu@78000000");
        assertThat(boot.reservedMem().assignedTo(dsp)).extracting(ReservedMem::name)
                .containsExactly("vpu@78000000", "dsp@7c000000");
    }

    @Test
    void missingPhandleOrName_isEnodev() throws DtsException {
        OfBoot boot = boot("ref-a64.dts", "6.1", Arch.ARM64);
        OfDevice dsp = device(boot, "dsp");
        OfDevice gpu = OfPlatformDevice.of(boot.tree().byPath("/soc/gpu@13000000").orElseThrow());

        assertThat(boot.reservedMem().deviceInitByIdx(dsp, dsp.ofNode(), 2)).isEqualTo(-Errno.ENODEV);
        assertThat(boot.reservedMem().deviceInitByName(dsp, dsp.ofNode(), "nope")).isEqualTo(-Errno.ENODEV);
        assertThat(boot.reservedMem().deviceInit(gpu)).isEqualTo(-Errno.ENODEV);
    }

    @Test
    void disabledRegion_isSkippedWithSuccess_5_10() throws DtsException {
        OfBoot boot = boot("ref-a64.dts", "5.10", Arch.ARM64);
        OfDevice isp = OfPlatformDevice.of(boot.tree().byPath("/soc/isp@12000000").orElseThrow());

        assertThat(boot.reservedMem().deviceInit(isp)).isZero();
        assertThat(boot.reservedMem().assignedTo(isp)).isEmpty();
    }

    @Test
    void regionNoInitFunctionClaimed_isEinval() throws DtsException {
        OfBoot boot = boot("ref-arm32.dts", "4.4", Arch.ARM);
        OfDevice vdoa = OfPlatformDevice.of(boot.tree().byPath("/soc/vdoa@21e4000").orElseThrow());
        OfDevice ipu = OfPlatformDevice.of(boot.tree().byPath("/soc/ipu@2400000").orElseThrow());

        assertThat(boot.reservedMem().deviceInit(vdoa)).isEqualTo(-Errno.EINVAL);
        assertThat(boot.reservedMem().deviceInit(ipu)).isZero();
        assertThat(boot.log().texts()).last()
                .isEqualTo("platform 2400000.ipu: assigned reserved memory node ipu@9f000000");
    }

    @Test
    void coherentPoolThatCannotBeBuilt_is4_4Enodev_andTheBackendsErrorLater() throws DtsException {
        backend.failDma = -Errno.ENOMEM;
        OfBoot old = boot("ref-arm32.dts", "4.4", Arch.ARM);
        OfDevice ipu = OfPlatformDevice.of(old.tree().byPath("/soc/ipu@2400000").orElseThrow());
        OfBoot newer = boot("ref-arm32.dts", "6.1", Arch.ARM);
        OfDevice ipu61 = OfPlatformDevice.of(newer.tree().byPath("/soc/ipu@2400000").orElseThrow());

        assertThat(old.reservedMem().deviceInit(ipu)).isEqualTo(-Errno.ENODEV);
        assertThat(newer.reservedMem().deviceInit(ipu61)).isEqualTo(-Errno.ENOMEM);
        assertThat(old.log().texts()).last()
                .isEqualTo("Reserved memory: failed to init DMA memory pool at 0x9f000000, size 8 MiB");
    }

    @Test
    void release_detachesEveryRegionOfTheDevice() throws DtsException {
        OfBoot boot = boot("ref-a64.dts", "6.1", Arch.ARM64);
        OfDevice dsp = device(boot, "dsp");
        boot.reservedMem().deviceInitByIdx(dsp, dsp.ofNode(), 0);
        boot.reservedMem().deviceInitByIdx(dsp, dsp.ofNode(), 1);

        boot.reservedMem().deviceRelease(dsp);

        assertThat(boot.reservedMem().assignedTo(dsp)).isEmpty();
        assertThat(backend.cmaArea).containsEntry("11000000.dsp", null);
        assertThat(backend.dmaMem).containsEntry("11000000.dsp", null);
    }

    @Test
    void byIdx_doesNotExistIn4_4() throws DtsException {
        OfBoot boot = boot("ref-arm32.dts", "4.4", Arch.ARM);
        OfDevice ipu = OfPlatformDevice.of(boot.tree().byPath("/soc/ipu@2400000").orElseThrow());

        assertThatThrownBy(() -> boot.reservedMem().deviceInitByIdx(ipu, ipu.ofNode(), 0))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void lookup_findsARegionByItsNodeName() throws DtsException {
        OfBoot boot = boot("ref-a64.dts", "6.1", Arch.ARM64);

        assertThat(boot.reservedMem().lookup(boot.tree().byLabel("dsp_pool").orElseThrow()))
                .hasValueSatisfying(r -> assertThat(r.base()).isEqualTo(0x7c000000L));
    }
}
