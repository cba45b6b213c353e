package dev.dmatrace.kernel.mm;

/** enum migratetype (include/linux/mmzone.h) with CONFIG_CMA and CONFIG_MEMORY_ISOLATION: the kernel's numbers. */
public final class MigrateType {

    public static final int MIGRATE_UNMOVABLE = 0;
    public static final int MIGRATE_MOVABLE = 1;
    public static final int MIGRATE_RECLAIMABLE = 2;
    public static final int MIGRATE_PCPTYPES = 3;
    public static final int MIGRATE_HIGHATOMIC = MIGRATE_PCPTYPES;
    public static final int MIGRATE_CMA = 4;
    public static final int MIGRATE_ISOLATE = 5;
    public static final int MIGRATE_TYPES = 6;

    /** migratetype_names[] as /proc/pagetypeinfo prints them. */
    private static final String[] NAMES = {"Unmovable", "Movable", "Reclaimable", "HighAtomic", "CMA", "Isolate"};

    private MigrateType() {
    }

    public static String name(int mt) {
        return NAMES[mt];
    }

    public static boolean isMigrateCma(int mt) {
        return mt == MIGRATE_CMA;
    }

    public static boolean isMigrateIsolate(int mt) {
        return mt == MIGRATE_ISOLATE;
    }

    public static boolean isMigrateHighatomic(int mt) {
        return mt == MIGRATE_HIGHATOMIC;
    }

    /** migratetype_is_mergeable() [6.1]: only the pcp types may merge with a block of another type. */
    public static boolean isMergeable(int mt) {
        return mt < MIGRATE_PCPTYPES;
    }
}
