package dev.dmatrace.kernel.mm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** show_gfp_flags() (include/trace/events/mmflags.h, 6.1) and gfp_migratetype()/gfp_zone(). */
class GfpTest {

    @Test
    void format_likeShowGfpFlags() {
        assertThat(Gfp.format(0)).isEqualTo("none");
        assertThat(Gfp.format(Gfp.GFP_KERNEL)).isEqualTo("GFP_KERNEL");
        assertThat(Gfp.format(Gfp.GFP_KERNEL | Gfp.__GFP_NOWARN)).isEqualTo("GFP_KERNEL|__GFP_NOWARN");
        assertThat(Gfp.format(Gfp.GFP_KERNEL | Gfp.GFP_DMA)).isEqualTo("GFP_KERNEL|GFP_DMA");
        assertThat(Gfp.format(Gfp.GFP_ATOMIC)).isEqualTo("GFP_ATOMIC");
        assertThat(Gfp.format(Gfp.GFP_HIGHUSER_MOVABLE | Gfp.__GFP_NORETRY | Gfp.__GFP_NOWARN))
                .isEqualTo("GFP_HIGHUSER_MOVABLE|__GFP_NOWARN|__GFP_NORETRY");
        assertThat(Gfp.format(Gfp.GFP_KERNEL | Gfp.__GFP_ZERO)).isEqualTo("GFP_KERNEL|__GFP_ZERO");
        assertThat(Gfp.format(Gfp.GFP_KERNEL | 0x10000000L)).isEqualTo("GFP_KERNEL|0x10000000");
        assertThat(Gfp.GFP_KERNEL).isEqualTo(0xcc0);
    }

    @Test
    void gfpMigratetype_andGfpZone() {
        assertThat(Gfp.gfpMigratetype(Gfp.GFP_KERNEL)).isEqualTo(MigrateType.MIGRATE_UNMOVABLE);
        assertThat(Gfp.gfpMigratetype(Gfp.GFP_HIGHUSER_MOVABLE)).isEqualTo(MigrateType.MIGRATE_MOVABLE);
        assertThat(Gfp.gfpMigratetype(Gfp.GFP_KERNEL | Gfp.__GFP_RECLAIMABLE))
                .isEqualTo(MigrateType.MIGRATE_RECLAIMABLE);
        assertThat(Gfp.gfpZone(Gfp.GFP_KERNEL | Gfp.__GFP_DMA)).isEqualTo(Zone.ZONE_DMA);
        assertThat(Gfp.gfpZone(Gfp.GFP_KERNEL | Gfp.__GFP_DMA32)).isEqualTo(Zone.ZONE_DMA32);
        assertThat(Gfp.gfpZone(Gfp.GFP_KERNEL)).isEqualTo(Zone.ZONE_NORMAL);
        assertThat(Gfp.gfpZone(Gfp.GFP_HIGHUSER_MOVABLE)).isEqualTo(Zone.ZONE_MOVABLE);
    }
}
