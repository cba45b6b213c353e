package dev.dmatrace.kernel.boot;

import dev.dmatrace.kernel.Errno;
import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.of.BootLog;
import dev.dmatrace.kernel.of.OfProfile;
import java.util.List;

/**
 * {@code cma=nn[KMG][@start[KMG][-end[KMG]]]} (early_cma, kernel/dma/contiguous.c; drivers/base/dma-contiguous.c
 * in 4.4). The three statics keep their values across repeated {@code cma=} options, as in the kernel. There is no
 * percentage form in 4.4, 5.10 or 6.1.
 */
public final class EarlyCma {


    private long sizeCmdline = -1;
    private long baseCmdline;
    private long limitCmdline;

    /** Whether {@code cma=} was given ({@code size_cmdline != -1}); {@code cma=0} is given and disables CMA. */
    public boolean given() {
        return sizeCmdline != -1;
    }

    public long size() {
        return sizeCmdline;
    }

    public long base() {
        return baseCmdline;
    }

    public long limit() {
        return limitCmdline;
    }

    /** {@code dma_contiguous_reserve}'s {@code fixed}: the area must sit exactly at base. */
    public boolean fixed() {
        return given() && baseCmdline + sizeCmdline == limitCmdline;
    }

    /** {@code min_not_zero(limit_cmdline, limit)}: the search limit {@code dma_contiguous_reserve} uses. */
    public long limitFor(long archLimit) {
        if (limitCmdline == 0) {
            return archLimit;
        }
        return archLimit == 0 ? limitCmdline : Math.min(limitCmdline, archLimit);
    }

    /** 0, or -Errno.EINVAL for a bare {@code cma} in 5.10/6.1 (4.4 dereferences NULL there: reported, not reproduced). */
    @KernelFunction(symbol = "early_cma", file = "kernel/dma/contiguous.c")
    int earlyCma(String p, OfProfile profile, BootLog log, List<String> diagnostics) {
        if (p == null) {
            if (profile.is44()) {
                diagnostics.add("cma: no value; 4.4's early_cma would dereference NULL and oops");
                return 0;
            }
            log.err("cma: Config string not provided");
            return -Errno.EINVAL;
        }
        Memparse.Result r = Memparse.memparse(p, 0);
        sizeCmdline = r.value();
        boolean more = r.end() < p.length() && p.charAt(r.end()) == '@';
        note("cma", p, 0, r.end(), !more, diagnostics);
        if (!more) {
            return 0;
        }
        int at = r.end() + 1;
        r = Memparse.memparse(p, at);
        baseCmdline = r.value();
        more = r.end() < p.length() && p.charAt(r.end()) == '-';
        note("cma", p, at, r.end(), !more, diagnostics);
        if (!more) {
            limitCmdline = baseCmdline + sizeCmdline;
            return 0;
        }
        at = r.end() + 1;
        r = Memparse.memparse(p, at);
        limitCmdline = r.value();
        note("cma", p, at, r.end(), true, diagnostics);
        return 0;
    }

    /**
     * Notes what the kernel reads differently from how it looks: a number memparse could not read (taken as 0),
     * or, when the handler looks no further, text after the number (ignored).
     */
    static void note(String param, String value, int from, int end, boolean restIgnored, List<String> diagnostics) {
        if (end == from) {
            diagnostics.add(param + "=" + value + ": '" + value.substring(from)
                    + "' is not a number; the kernel reads 0");
        } else if (restIgnored && end < value.length()) {
            diagnostics.add(param + "=" + value + ": trailing '" + value.substring(end) + "' is ignored by the kernel");
        }
    }

    @Override
    public String toString() {
        return given() ? String.format("cma=%#x@%#x-%#x", sizeCmdline, baseCmdline, limitCmdline) : "cma not given";
    }
}
