package dev.dmatrace.kernel.of;

import dev.dmatrace.kernel.Errno;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.boot.Arch;
import org.junit.jupiter.api.Test;

/** Malformed or conflicting reserved-memory nodes give the kernel's messages and consequences. */
class ReservedMemErrorsTest {

    private static final long MiB = 1L << 20;

    @Test
    void overlappingRegions_areReportedAfterSorting_andBothStillInitialised() throws DtsException {
        OfBoot boot = Boards.boot(Boards.arm64("""
                b@50800000 { compatible = "shared-dma-pool"; no-map; reg = <0x0 0x50800000 0x0 0x1000000>; };
                a@50000000 { compatible = "shared-dma-pool"; no-map; reg = <0x0 0x50000000 0x0 0x1000000>; };
                """), "6.1", Arch.ARM64);

        assertThat(boot.log().texts()).startsWith("OF: reserved mem: OVERLAP DETECTED!\n"
                + "a@50000000 (0x0000000050000000--0x0000000051000000) overlaps with "
                + "b@50800000 (0x0000000050800000--0x0000000051800000)");
        assertThat(boot.reservedMem().regions()).allMatch(r -> r.ops() != null);
    }

    @Test
    void overlap_4_4_usesTheReservedMemoryPrefix() throws DtsException {
        OfBoot boot = Boards.boot(Boards.arm32("""
                a@90000000 { compatible = "shared-dma-pool"; no-map; reg = <0x90000000 0x1000000>; };
                b@90800000 { compatible = "shared-dma-pool"; no-map; reg = <0x90800000 0x1000000>; };
                """), "4.4", Arch.ARM);

        assertThat(boot.log().texts()).first().asString()
                .startsWith("Reserved memory: OVERLAP DETECTED!\na@90000000 (0x90000000--0x91000000)");
    }

    @Test
    void misalignedCma_isRejected_andItsMemoryGivenBack_5_10() throws DtsException {
        OfBoot boot = Boards.boot(Boards.arm64("""
                cma@78200000 { compatible = "shared-dma-pool"; reusable; reg = <0x0 0x78200000 0x0 0x4000000>; };
                """), "5.10", Arch.ARM64);

        assertThat(boot.log().texts()).containsExactly(
                "Reserved memory: incorrect alignment of CMA region",
                "OF: reserved mem: node cma@78200000 compatible matching fail");
        assertThat(boot.memblock().isRegionReserved(0x78200000L, 64 * MiB)).isFalse();
    }

    @Test
    void twoMiBAlignedCma_isFineIn6_1OnArm64_wherePageblocksAre2MiB() throws DtsException {
        OfBoot boot = Boards.boot(Boards.arm64("""
                cma@78200000 { compatible = "shared-dma-pool"; reusable; reg = <0x0 0x78200000 0x0 0x4000000>; };
                """), "6.1", Arch.ARM64);

        assertThat(boot.log().texts()).first()
                .isEqualTo("Reserved memory: created CMA memory pool at 0x0000000078200000, size 64 MiB");
    }

    @Test
    void cmaOnTheCommandLine_bypassesTheDefaultNode_5_10() throws DtsException {
        DeviceTree dt = Boards.arm64("""
                linux,cma { compatible = "shared-dma-pool"; reusable; size = <0x0 0x8000000>; linux,cma-default; };
                """);

        OfBoot boot = OfBoot.run(dt, new OfProfile("5.10", Arch.ARM64), new RecordingBackend(), true);

        assertThat(boot.log().texts()).containsExactly(
                "Reserved memory: bypass linux,cma node, using cmdline CMA params instead",
                "OF: reserved mem: node linux,cma compatible matching fail");
        assertThat(boot.pools().defaultCma()).isNull();
        assertThat(boot.memblock().reserved()).isEmpty();
    }

    @Test
    void cmaOnTheCommandLine_doesNotStopTheDefaultNode_4_4() throws DtsException {
        DeviceTree dt = Boards.arm32("""
                linux,cma { compatible = "shared-dma-pool"; reusable; size = <0x4000000>; linux,cma-default; };
                """);

        OfBoot boot = OfBoot.run(dt, new OfProfile("4.4", Arch.ARM), new RecordingBackend(), true);

        assertThat(boot.pools().defaultCma().name()).isEqualTo("linux,cma");
        assertThat(boot.log().texts()).first()
                .isEqualTo("Reserved memory: created CMA memory pool at 0x9c000000, size 64 MiB");
    }

    @Test
    void reservedMemoryWithoutRanges_isIgnoredAsUnsupported() throws DtsException {
        DeviceTree dt = DeviceTree.parse("t.dts", """
                /dts-v1/;
                / {
                    #address-cells = <1>; #size-cells = <1>;
                    memory@80000000 { device_type = "memory"; reg = <0x80000000 0x20000000>; };
                    reserved-memory {
                        #address-cells = <1>; #size-cells = <1>;
                        pool@90000000 { compatible = "shared-dma-pool"; no-map; reg = <0x90000000 0x100000>; };
                    };
                };
                """);

        OfBoot boot = Boards.boot(dt, "6.1", Arch.ARM);

        assertThat(boot.log().texts()).containsExactly("OF: fdt: Reserved memory: unsupported node format, ignoring");
        assertThat(boot.reservedMem().regions()).isEmpty();
    }

    @Test
    void reservedMemoryCellsDifferentFromTheRoot_isIgnoredAsUnsupported_4_4() throws DtsException {
        DeviceTree dt = DeviceTree.parse("t.dts", """
                /dts-v1/;
                / {
                    #address-cells = <2>; #size-cells = <2>;
                    reserved-memory { #address-cells = <1>; #size-cells = <1>; ranges; };
                };
                """);

        assertThat(Boards.boot(dt, "4.4", Arch.ARM64).log().texts())
                .containsExactly("Reserved memory: unsupported node format, ignoring");
    }

    @Test
    void moreThanMaxReservedRegions_4_4_dropsTheSeventeenth() throws DtsException {
        StringBuilder nodes = new StringBuilder();
        for (int i = 0; i < 17; i++) {
            nodes.append(String.format("r%d@%x { reg = <0x%x 0x100000>; };%n", i, 0x90000000L + i * MiB,
                    0x90000000L + i * MiB));
        }
        OfBoot old = Boards.boot(Boards.arm32(nodes.toString()), "4.4", Arch.ARM);
        OfBoot newer = Boards.boot(Boards.arm32(nodes.toString()), "6.1", Arch.ARM);

        assertThat(old.log().texts()).containsExactly("Reserved memory: not enough space all defined regions.");
        assertThat(old.reservedMem().regions()).hasSize(16);
        assertThat(newer.reservedMem().regions()).hasSize(17);
    }

    @Test
    void dynamicRegionThatDoesNotFit_reportsTheFailurePerVersion() throws DtsException {
        String big = "big { compatible = \"shared-dma-pool\"; no-map; size = <0x1 0x0>; };";

        assertThat(Boards.boot(Boards.arm64(big), "6.1", Arch.ARM64).log().texts())
                .containsExactly("OF: reserved mem: failed to allocate memory for node 'big': size 4096 MiB");
        assertThat(Boards.boot(Boards.arm64(big), "5.10", Arch.ARM64).log().lines())
                .containsExactly(new BootLog.Line(BootLog.Level.INFO,
                        "OF: reserved mem: failed to allocate memory for node 'big'"));
    }

    @Test
    void sizePropertyOfTheWrongLength_isInvalid() throws DtsException {
        OfBoot boot = Boards.boot(Boards.arm64("pool { compatible = \"shared-dma-pool\"; size = <0x100000>; };"),
                "6.1", Arch.ARM64);

        assertThat(boot.log().texts()).containsExactly("OF: reserved mem: invalid size property in 'pool' node.");
    }

    @Test
    void regNotAMultipleOfTheRootCells_skipsTheNode() throws DtsException {
        OfBoot boot = Boards.boot(Boards.arm64("bad@50000000 { no-map; reg = <0x0 0x50000000 0x100000>; };"),
                "5.10", Arch.ARM64);

        assertThat(boot.log().texts())
                .containsExactly("OF: fdt: Reserved memory: invalid reg property in 'bad@50000000', skipping node.");
        assertThat(boot.reservedMem().regions()).isEmpty();
    }

    @Test
    void noMapOverAlreadyReservedRam_6_1_failsToReserve() throws DtsException {
        DeviceTree dt = Boards.arm64("""
                first@50000000 { reg = <0x0 0x50000000 0x0 0x200000>; };
                second@50000000 { no-map; reg = <0x0 0x50000000 0x0 0x200000>; };
                """);

        OfBoot boot = Boards.boot(dt, "6.1", Arch.ARM64);

        assertThat(boot.log().texts()).first().isEqualTo("OF: fdt: Reserved memory: failed to reserve memory for "
                + "node 'second@50000000': base 0x0000000050000000, size 2 MiB");
    }

    @Test
    void disabledNodes_areNotReserved() throws DtsException {
        OfBoot boot = Boards.boot(Boards.arm64(
                "off@50000000 { status = \"disabled\"; no-map; reg = <0x0 0x50000000 0x0 0x200000>; };"),
                "6.1", Arch.ARM64);

        assertThat(boot.reservedMem().regions()).isEmpty();
        assertThat(boot.memblock().memory()).noneMatch(r -> r.nomap());
    }

    @Test
    void cmaSetupFailure_isReportedAsUnableToSetup() throws DtsException {
        RecordingBackend backend = new RecordingBackend();
        backend.failCma = -Errno.ENOMEM;
        DeviceTree dt = Boards.arm64("c@60000000 { compatible = \"shared-dma-pool\"; reusable; "
                + "reg = <0x0 0x60000000 0x0 0x400000>; };");

        OfBoot boot = OfBoot.run(dt, new OfProfile("6.1", Arch.ARM64), backend, false);

        assertThat(boot.log().texts()).containsExactly("Reserved memory: unable to setup CMA region",
                "OF: reserved mem: node c@60000000 compatible matching fail");
    }
}
