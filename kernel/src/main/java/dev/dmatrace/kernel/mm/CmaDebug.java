package dev.dmatrace.kernel.mm;

import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.boot.KernelProfile;

/**
 * mm/cma_debug.c (CONFIG_CMA_DEBUGFS): the read-only files of {@code /sys/kernel/debug/cma/<dir>/}, as values;
 * each file prints {@code "%llu\n"} of them ({@code bitmap} is a u32 array dump).
 */
public final class CmaDebug {

    private CmaDebug() {
    }

    /** The directory: [4.4] {@code cma-<index>}, [5.10] {@code cma-<name>}, [6.1] {@code <name>}. */
    public static String dirName(KernelProfile p, int index, CmaArea cma) {
        if (p.atLeast(KernelProfile.V6_1)) {
            return cma.name;
        }
        return p.atLeast(KernelProfile.V5_10) ? "cma-" + cma.name : "cma-" + index;
    }

    /** {@code used}: set bits times 2^order_per_bit, under cma->lock. */
    @KernelFunction(symbol = "cma_used_get", file = "mm/cma_debug.c")
    public static long used(CmaArea cma) {
        cma.lock.lock();
        try {
            return (long) cma.bitmap.cardinality() << cma.orderPerBit;
        } finally {
            cma.lock.unlock();
        }
    }

    /** {@code maxchunk}: the longest run of clear bits, in pages. */
    @KernelFunction(symbol = "cma_maxchunk_get", file = "mm/cma_debug.c")
    public static long maxchunk(CmaArea cma) {
        long maxchunk = 0;
        int bitmapMaxno = (int) cma.bitmapMaxno();
        cma.lock.lock();
        try {
            int start = 0;
            while (true) {
                int zero = cma.bitmap.nextClearBit(start);
                if (zero >= bitmapMaxno) {
                    break;
                }
                int set = cma.bitmap.nextSetBit(zero);
                int end = set < 0 || set > bitmapMaxno ? bitmapMaxno : set;
                maxchunk = Math.max(end - zero, maxchunk);
                start = end + 1;
            }
        } finally {
            cma.lock.unlock();
        }
        return maxchunk << cma.orderPerBit;
    }

    /** {@code bitmap}: the bitmap as u32 words, "%u" separated by spaces, newline at the end. */
    public static String bitmap(CmaArea cma) {
        int words = (int) ((cma.bitmapMaxno() + 31) / 32);
        StringBuilder sb = new StringBuilder();
        cma.lock.lock();
        try {
            for (int w = 0; w < words; w++) {
                long v = 0;
                for (int b = 0; b < 32; b++) {
                    if (cma.bitmap.get(w * 32 + b)) {
                        v |= 1L << b;
                    }
                }
                sb.append(v).append(w == words - 1 ? "\n" : " ");
            }
        } finally {
            cma.lock.unlock();
        }
        return sb.toString();
    }

    public static long basePfn(CmaArea cma) {
        return cma.basePfn;
    }

    public static long count(CmaArea cma) {
        return cma.count;
    }

    public static int orderPerBit(CmaArea cma) {
        return cma.orderPerBit;
    }
}
