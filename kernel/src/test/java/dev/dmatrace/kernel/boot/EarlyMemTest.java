package dev.dmatrace.kernel.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.mm.Memblock;
import dev.dmatrace.kernel.mm.Memblock.Region;
import dev.dmatrace.kernel.of.BootLog;
import dev.dmatrace.kernel.of.OfProfile;
import org.junit.jupiter.api.Test;

/** mem= per arch: arch/arm/kernel/setup.c, arch/arm64/mm/init.c, arch/x86/kernel/e820.c. */
class EarlyMemTest {

    private static final long MiB = 1L << 20;

    private static Memblock apply(String cmdline, Arch arch, BootLog log) {
        OfProfile profile = new OfProfile("5.10", arch);
        Memblock mb = new Memblock();
        mb.add(0x80000000L, 512 * MiB);
        Cmdline.parse(cmdline, profile).applyMemoryLimit(mb, log);
        return mb;
    }

    @Test
    void arm_memReplacesTheBanks_startingAtPhysOffset() {
        Memblock mb = apply("mem=256M", Arch.ARM, new BootLog());

        assertThat(mb.memory()).containsExactly(new Region(0x80000000L, 256 * MiB, false));
    }

    @Test
    void arm_memAtStart_isRepeatable_andBanksBelowPhysOffsetAreIgnored() {
        BootLog log = new BootLog();
        Memblock mb = apply("mem=64M@0x90000000 mem=64M@0x80000000 mem=16M@0x70000000", Arch.ARM, log);

        assertThat(mb.memory()).containsExactly(new Region(0x80000000L, 64 * MiB, false),
                new Region(0x90000000L, 64 * MiB, false));
        assertThat(log.texts()).containsExactly("Ignoring memory below PHYS_OFFSET: 0x70000000-0x71000000");
    }

    @Test
    void arm64_memKeepsTheFirstBytesOfRam_andSaysSo() {
        Cmdline c = Cmdline.parse("mem=128M", new OfProfile("6.1", Arch.ARM64));
        Memblock mb = apply("mem=128M", Arch.ARM64, new BootLog());

        assertThat(c.log().texts()).containsExactly("Memory limited to 128MB");
        assertThat(mb.memory()).containsExactly(new Region(0x80000000L, 128 * MiB, false));
    }

    @Test
    void arm64_bareMem_isMalformed() {
        Cmdline c = Cmdline.parse("mem", new OfProfile("6.1", Arch.ARM64));

        assertThat(c.log().texts()).containsExactly("Malformed early option 'mem'");
        assertThat(c.mem().given()).isFalse();
    }

    @Test
    void x86_memIsAnAddressLimit_andNopentiumIsRefusedOn64Bit() {
        Memblock mb = apply("mem=0x88000000", Arch.X86_64, new BootLog());
        Cmdline c = Cmdline.parse("mem=nopentium", new OfProfile("5.10", Arch.X86_64));

        assertThat(mb.memory()).containsExactly(new Region(0x80000000L, 128 * MiB, false));
        assertThat(c.log().texts()).containsExactly("mem=nopentium ignored! (only supported on x86_32)",
                "Malformed early option 'mem'");
    }
}
