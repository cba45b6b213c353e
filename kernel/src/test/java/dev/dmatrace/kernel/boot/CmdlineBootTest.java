package dev.dmatrace.kernel.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.mm.Memblock.Region;
import dev.dmatrace.kernel.of.DeviceTree;
import dev.dmatrace.kernel.of.DtsException;
import dev.dmatrace.kernel.of.OfBoot;
import dev.dmatrace.kernel.of.OfProfile;
import dev.dmatrace.kernel.of.SharedDmaPool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The board's bootargs plus a user's options, through both scans, as an arm64 6.1 kernel boots them. */
class CmdlineBootTest {

    private static DeviceTree board() throws IOException, DtsException {
        try (InputStream in = CmdlineBootTest.class.getResourceAsStream("/dts/ref-a64.dts")) {
            return DeviceTree.parse("ref-a64.dts", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void bootargs_comeFromChosen() throws IOException, DtsException {
        assertThat(Cmdline.bootargs(board(), new OfProfile("6.1", Arch.ARM64)))
                .isEqualTo("console=ttyAMA0,115200 earlycon");
    }

    @Test
    void memAndCmaOnTheCommandLine_shrinkRamAndBypassTheDefaultCmaNode() throws IOException, DtsException {
        OfProfile profile = new OfProfile("6.1", Arch.ARM64);
        DeviceTree dt = board();
        Cmdline cmdline = Cmdline.parse(Cmdline.bootargs(dt, profile) + " cma=128M mem=1G", profile);

        OfBoot boot = OfBoot.run(dt, profile, new SharedDmaPool.Backend() { }, cmdline.cma().given(),
                cmdline::applyMemoryLimit);

        assertThat(cmdline.log().texts()).containsExactly("Memory limited to 1024MB");
        assertThat(cmdline.unknown()).extracting(Cmdline.Param::name).containsExactly("console", "earlycon");
        assertThat(boot.log().texts()).startsWith(
                "Reserved memory: bypass linux,cma node, using cmdline CMA params instead",
                "OF: reserved mem: node linux,cma compatible matching fail",
                "Reserved memory: created CMA memory pool at 0x0000000078000000, size 64 MiB");
        assertThat(boot.memblock().memory()).last().isEqualTo(new Region(0x7d000000L, 0x3000000L, false));
        assertThat(boot.memblock().isRegionReserved(0x68000000L, 0x10000000L)).as("bypassed area given back")
                .isFalse();
        assertThat(boot.pools().defaultCma()).isNull();
    }
}
