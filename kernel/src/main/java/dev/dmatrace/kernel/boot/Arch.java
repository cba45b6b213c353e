package dev.dmatrace.kernel.boot;

/**
 * The architecture profile: its pageblock_order (include/linux/pageblock-flags.h with the arch's
 * HUGETLB_PAGE_ORDER) and whether pointers are 64-bit (for the width of {@code %p} in trace lines).
 */
public enum Arch {
    /** 32-bit ARM without LPAE hugetlb: pageblock_order = MAX_ORDER - 1 = 10. */
    ARM("arm", 10, false),
    /** arm64 with 4 KiB pages: HUGETLB_PAGE_ORDER = 9. */
    ARM64("arm64", 9, true),
    /** x86-64: HUGETLB_PAGE_ORDER = 9. */
    X86_64("x86_64", 9, true);

    private final String id;
    private final int pageblockOrder;
    private final boolean is64bit;

    Arch(String id, int pageblockOrder, boolean is64bit) {
        this.id = id;
        this.pageblockOrder = pageblockOrder;
        this.is64bit = is64bit;
    }

    public String id() {
        return id;
    }

    public int pageblockOrder() {
        return pageblockOrder;
    }

    public boolean is64bit() {
        return is64bit;
    }

    public static Arch parse(String s) {
        for (Arch a : values()) {
            if (a.id.equals(s)) {
                return a;
            }
        }
        return null;
    }
}
