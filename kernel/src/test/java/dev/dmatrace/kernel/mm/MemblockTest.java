package dev.dmatrace.kernel.mm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.mm.Memblock.Region;
import org.junit.jupiter.api.Test;

class MemblockTest {

    private static final long GiB = 1L << 30;
    private static final long MiB = 1L << 20;

    private final Memblock mb = new Memblock();

    @Test
    void findInRange_isTopDownFirstFit_belowTheReservedTop() {
        mb.add(GiB, GiB);
        mb.reserve(2 * GiB - 16 * MiB, 16 * MiB);

        assertThat(mb.findInRange(0, Memblock.ALLOC_ANYWHERE, 64 * MiB, 4 * MiB)).isEqualTo(2 * GiB - 80 * MiB);
        assertThat(mb.reserved()).hasSize(1);
    }

    @Test
    void findInRange_roundsTheCandidateDownToTheAlignment() {
        mb.add(GiB, GiB);
        mb.reserve(2 * GiB - MiB, MiB);

        assertThat(mb.findInRange(0, Memblock.ALLOC_ANYWHERE, 8 * MiB, 4 * MiB)).isEqualTo(2 * GiB - 12 * MiB);
    }

    @Test
    void allocRangeNid_reservesWhatItFinds_andFailsWithZero() {
        mb.add(GiB, 64 * MiB);

        long a = mb.physAllocRange(32 * MiB, 0, GiB, GiB + 64 * MiB);
        assertThat(a).isEqualTo(GiB + 32 * MiB);
        assertThat(mb.isRegionReserved(a, 1)).isTrue();
        assertThat(mb.physAllocRange(64 * MiB, 0, 0, Memblock.ALLOC_ANYWHERE)).isZero();
    }

    @Test
    void allocBase_4_4_searchesBelowMaxAddrOnly() {
        mb.add(GiB, GiB);

        assertThat(mb.allocBase(16 * MiB, 4 * MiB, GiB + 512 * MiB)).isEqualTo(GiB + 496 * MiB);
    }

    @Test
    void nomapRegions_areNotFree_andClearNomapGivesThemBack() {
        mb.add(GiB, 32 * MiB);
        mb.markNomap(GiB + 16 * MiB, 16 * MiB);

        assertThat(mb.memory()).containsExactly(new Region(GiB, 16 * MiB, false),
                new Region(GiB + 16 * MiB, 16 * MiB, true));
        assertThat(mb.findInRange(0, Memblock.ALLOC_ANYWHERE, 16 * MiB, MiB)).isEqualTo(GiB);
        mb.clearNomap(GiB + 16 * MiB, 16 * MiB);
        assertThat(mb.memory()).containsExactly(new Region(GiB, 32 * MiB, false));
    }

    @Test
    void removeSplitsRegions_andReserveMergesNeighbours() {
        mb.add(GiB, GiB);
        mb.remove(GiB + 256 * MiB, 256 * MiB);
        mb.reserve(GiB, MiB);
        mb.reserve(GiB + MiB, MiB);

        assertThat(mb.memory()).containsExactly(new Region(GiB, 256 * MiB, false),
                new Region(GiB + 512 * MiB, 512 * MiB, false));
        assertThat(mb.reserved()).containsExactly(new Region(GiB, 2 * MiB, false));
        assertThat(mb.physMemSize()).isEqualTo(768 * MiB);
        mb.physFree(GiB, MiB);
        assertThat(mb.reserved()).containsExactly(new Region(GiB + MiB, MiB, false));
    }

    @Test
    void enforceMemoryLimit_keepsTheFirstBytesAcrossBanks() {
        mb.add(GiB, 256 * MiB);
        mb.add(4 * GiB, GiB);
        mb.reserve(4 * GiB + 512 * MiB, MiB);

        mb.enforceMemoryLimit(512 * MiB);

        assertThat(mb.memory()).containsExactly(new Region(GiB, 256 * MiB, false),
                new Region(4 * GiB, 256 * MiB, false));
        assertThat(mb.reserved()).isEmpty();
    }
}
