package dev.dmatrace.kernel.of;

import dev.dmatrace.kernel.boot.Arch;
/** Small inline boards for scan tests: RAM plus whatever reserved-memory children a test needs. */
final class Boards {

    private Boards() {
    }

    /** arm64 style, cells 2/2, 2 GiB at 0x40000000. */
    static DeviceTree arm64(String reservedChildren, String extra) throws DtsException {
        return DeviceTree.parse("board.dts", """
                /dts-v1/;
                / {
                    #address-cells = <2>;
                    #size-cells = <2>;
                    memory@40000000 { device_type = "memory"; reg = <0x0 0x40000000 0x0 0x80000000>; };
                    reserved-memory {
                        #address-cells = <2>;
                        #size-cells = <2>;
                        ranges;
                %s
                    };
                %s
                };
                """.formatted(reservedChildren, extra));
    }

    static DeviceTree arm64(String reservedChildren) throws DtsException {
        return arm64(reservedChildren, "");
    }

    /** 32-bit ARM style, cells 1/1, 512 MiB at 0x80000000. */
    static DeviceTree arm32(String reservedChildren) throws DtsException {
        return DeviceTree.parse("board.dts", """
                /dts-v1/;
                / {
                    #address-cells = <1>;
                    #size-cells = <1>;
                    memory@80000000 { device_type = "memory"; reg = <0x80000000 0x20000000>; };
                    reserved-memory {
                        #address-cells = <1>;
                        #size-cells = <1>;
                        ranges;
                %s
                    };
                };
                """.formatted(reservedChildren));
    }

    static OfBoot boot(DeviceTree dt, String version, Arch arch) throws DtsException {
        return OfBoot.run(dt, new OfProfile(version, arch), new RecordingBackend(), false);
    }
}
