package dev.dmatrace.kernel.oracle;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The comparison rules of the oracle: EV lines equal (mm_page_alloc_extfrag left out: it reflects the rest of the
 * kernel's memory); on a filled machine migration totals within 25 % and test_pages_isolated equal in end_pfn and
 * ret (fin_pfn equal when it failed, at least end_pfn when it succeeded); MOD and dma_alloc/dma_free lines equal
 * except the DMA address of a buffer the real kernel served from outside the CMA area, which must be outside it in
 * the simulation too; the cma_alloc failure KMSG lines equal; each real WARNING matched by a simulated warning
 * from the same function. Returns the differences, empty when the case is equal.
 */
public final class OracleCompare {

    private static final Pattern DMA_ADDR = Pattern.compile("dma_addr=([0-9a-f]+)");
    private static final Pattern MOD_DMA = Pattern.compile(" dma=0x([0-9a-f]+)( pfn=0x[0-9a-f]+)?");

    private final OracleCase c;
    private final List<String> diffs = new ArrayList<>();

    private OracleCompare(OracleCase c) {
        this.c = c;
    }

    public static List<String> compare(OracleCase c, List<String> sim, List<String> real) {
        OracleCompare cmp = new OracleCompare(c);
        cmp.compareEv(tagged(sim, "EV "), tagged(real, "EV "));
        cmp.compareMod(tagged(sim, "MOD "), tagged(real, "MOD "));
        cmp.compareKmsg(tagged(sim, "KMSG "), tagged(real, "KMSG "));
        return cmp.diffs;
    }

    private static List<String> tagged(List<String> lines, String tag) {
        return lines.stream().filter(l -> l.startsWith(tag)).filter(l -> !l.startsWith("EV mm_page_alloc_extfrag"))
                .toList();
    }

    private void differ(String real, String sim) {
        diffs.add("- " + real);
        diffs.add("+ " + sim);
    }

    private boolean outsideCma(long addr) {
        long pfn = addr >>> 12;
        return pfn < c.cmaBasePfn() || pfn >= c.cmaEndPfn();
    }

    private void compareEv(List<String> sim, List<String> real) {
        for (int i = 0; i < Math.max(sim.size(), real.size()); i++) {
            String s = i < sim.size() ? sim.get(i) : "(none)";
            String r = i < real.size() ? real.get(i) : "(none)";
            if (!s.equals(r) && !evEquivalent(s, r)) {
                differ(r, s);
            }
        }
        if (c.fill()) {
            for (String field : List.of("nr_succeeded", "nr_failed")) {
                long a = total(sim, field);
                long b = total(real, field);
                if (Math.abs(a - b) > b * 0.25) {
                    diffs.add("migration total " + field + ": real " + b + ", simulated " + a + " (more than 25 % apart)");
                }
            }
        }
    }

    private boolean evEquivalent(String s, String r) {
        if (c.fill() && s.startsWith("EV mm_migrate_pages") && r.startsWith("EV mm_migrate_pages")) {
            return true;
        }
        if (c.fill() && s.startsWith("EV test_pages_isolated") && r.startsWith("EV test_pages_isolated")) {
            long end = Long.decode(field(s, "end_pfn"));
            return field(s, "end_pfn").equals(field(r, "end_pfn")) && field(s, "ret").equals(field(r, "ret"))
                    && (field(r, "ret").equals("fail") ? field(s, "fin_pfn").equals(field(r, "fin_pfn"))
                            : Long.decode(field(s, "fin_pfn")) >= end);
        }
        if (s.startsWith("EV dma_") && r.startsWith("EV dma_")) {
            Matcher ms = DMA_ADDR.matcher(s);
            Matcher mr = DMA_ADDR.matcher(r);
            if (ms.find() && mr.find()) {
                long realAddr = Long.parseUnsignedLong(mr.group(1), 16);
                long simAddr = Long.parseUnsignedLong(ms.group(1), 16);
                return realAddr != 0 && outsideCma(realAddr) && simAddr != 0 && outsideCma(simAddr)
                        && DMA_ADDR.matcher(s).replaceAll("").equals(DMA_ADDR.matcher(r).replaceAll(""));
            }
        }
        return false;
    }

    private static long total(List<String> ev, String field) {
        long sum = 0;
        for (String l : ev) {
            if (l.startsWith("EV mm_migrate_pages")) {
                sum += Long.parseLong(field(l, field));
            }
        }
        return sum;
    }

    private static String field(String line, String name) {
        Matcher m = Pattern.compile(name + "=(\\S+)").matcher(line);
        return m.find() ? m.group(1) : "";
    }

    private void compareMod(List<String> sim, List<String> real) {
        for (int i = 0; i < Math.max(sim.size(), real.size()); i++) {
            String s = i < sim.size() ? sim.get(i) : "(none)";
            String r = i < real.size() ? real.get(i) : "(none)";
            if (s.equals(r)) {
                continue;
            }
            Matcher ms = MOD_DMA.matcher(s);
            Matcher mr = MOD_DMA.matcher(r);
            boolean bothOutside = ms.find() && mr.find() && outsideCma(Long.parseLong(mr.group(1), 16))
                    && outsideCma(Long.parseLong(ms.group(1), 16));
            if (!bothOutside || !MOD_DMA.matcher(s).replaceAll("").equals(MOD_DMA.matcher(r).replaceAll(""))) {
                differ(r, s);
            }
        }
    }

    private void compareKmsg(List<String> sim, List<String> real) {
        List<String> simCma = sim.stream().filter(l -> l.contains("alloc failed")).toList();
        List<String> realCma = real.stream().filter(l -> l.contains("alloc failed")).toList();
        if (!simCma.equals(realCma)) {
            realCma.forEach(l -> diffs.add("- " + l));
            simCma.forEach(l -> diffs.add("+ " + l));
        }
        List<String> simWarnFns = sim.stream().filter(l -> l.startsWith("KMSG WARNING: ")).map(OracleCompare::warnFn)
                .toList();
        for (String r : real) {
            if (r.startsWith("KMSG WARNING: ") && !simWarnFns.contains(warnFn(r))) {
                diffs.add("- " + r);
                diffs.add("+ (no warning from " + warnFn(r) + ")");
            }
        }
    }

    /** The function of a WARNING line: the last word, without the kernel's {@code +0x.../0x...} offset. */
    public static String warnFn(String line) {
        String last = line.substring(line.lastIndexOf(' ') + 1);
        int plus = last.indexOf('+');
        return plus < 0 ? last : last.substring(0, plus);
    }
}
