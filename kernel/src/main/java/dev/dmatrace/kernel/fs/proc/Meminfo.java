package dev.dmatrace.kernel.fs.proc;

import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.mm.PageAlloc;

/**
 * fs/proc/meminfo.c: the lines of /proc/meminfo the port knows, in the kernel's order and format
 * ({@code show_val_kb}: a 16-column label, the value in kB right-aligned in 8 columns, " kB").
 * MemTotal is totalram_pages() (the managed pages), MemFree NR_FREE_PAGES, CmaTotal totalcma_pages,
 * CmaFree NR_FREE_CMA_PAGES.
 */
public final class Meminfo {

    private final PageAlloc pa;

    public Meminfo(PageAlloc pa) {
        this.pa = pa;
    }

    @KernelFunction(symbol = "meminfo_proc_show", file = "fs/proc/meminfo.c")
    public String show() {
        StringBuilder sb = new StringBuilder();
        showValKb(sb, "MemTotal:       ", pa.totalramPages());
        showValKb(sb, "MemFree:        ", pa.globalNrFreePages());
        showValKb(sb, "CmaTotal:       ", pa.totalcmaPages());
        showValKb(sb, "CmaFree:        ", pa.globalNrFreeCmaPages());
        return sb.toString();
    }

    private static void showValKb(StringBuilder sb, String label, long pages) {
        sb.append(label).append(String.format("%8d", pages << 2)).append(" kB\n");
    }
}
