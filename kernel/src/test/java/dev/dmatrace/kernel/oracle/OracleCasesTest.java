package dev.dmatrace.kernel.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.mm.DebugVm;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The recorded public oracle cases (sample-traces/oracle-cases) replayed through cma_alloc/cma_release on the
 * oracle's arm64 board: the cma_* lines must be equal, test_pages_isolated too (on filled machines: same end_pfn
 * and ret, same fin_pfn when failed, fin_pfn >= end_pfn when successful), the folded mm_migrate_pages lines equal
 * on idle machines; on filled machines the total of migrated pages within 25 %; the "cma: " kernel messages equal;
 * each allocation's outcome equal (ok, and the pfn of a CMA buffer; a buffer from the buddy allocator lies
 * outside the area in both, at an address the memory core's simplified boot reservation does not reproduce).
 * Kernel 6.1 (mm/cma.c cma_alloc,
 * mm/page_alloc.c alloc_contig_range) and 6.12 (__cma_alloc) as recorded.
 */
class OracleCasesTest {

    private static final Pattern SUCC = Pattern.compile("nr_succeeded=(\\d+)");

    private static List<String> comparable(List<String> ev) {
        return ev.stream().filter(l -> l.startsWith("cma_") || l.startsWith("test_pages_isolated")
                || l.startsWith("mm_migrate_pages")).toList();
    }

    private static long migrated(List<String> ev) {
        long sum = 0;
        for (String l : ev) {
            Matcher m = SUCC.matcher(l);
            if (l.startsWith("mm_migrate_pages") && m.find()) {
                sum += Long.parseLong(m.group(1));
            }
        }
        return sum;
    }

    /** The "cma: " messages after boot (summarize.sh leaves out the reservation line). */
    private static List<String> cmaKmsg(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("cma: ") && !l.startsWith("cma: Reserved ")).toList();
    }

    /** The module's alloc lines against the driver's results: same ok, same pfn for CMA buffers. */
    private static void assertAllocOutcomes(OracleCase c, OracleDriver d) {
        assertThat(d.results).hasSameSizeAs(c.allocs());
        for (int i = 0; i < c.allocs().size(); i++) {
            String sim = d.results.get(i);
            String real = c.allocs().get(i);
            if (sim.equals("ok=1 buddy")) {
                long pfn = Long.decode(real.replace("ok=1 pfn=", ""));
                assertThat(pfn < d.area.basePfn() || pfn >= d.area.basePfn() + d.area.count())
                        .as("slot %d outside the area", i).isTrue();
            } else {
                assertThat(sim).as("slot %d", i).isEqualTo(real);
            }
        }
    }

    private static String field(String line, String name) {
        Matcher m = Pattern.compile(name + "=(\\S+)").matcher(line);
        return m.find() ? m.group(1) : null;
    }

    @ParameterizedTest
    @ValueSource(strings = {"p1-basic-6.1", "p2-200M-6.1", "p3-exhaust-6.1", "p5-small-6.12", "p6-200M-6.12"})
    void idleMachine_eventStreamEqualsRecorded(String name) throws Exception {
        OracleCase c = OracleCase.load(name);
        OracleDriver d = new OracleDriver(c);
        d.run(c.ops());
        assertThat(comparable(TraceSummary.ev(d.m.tracing().lines()))).containsExactlyElementsOf(comparable(c.ev()));
        assertThat(cmaKmsg(d.m.printk().lines())).containsExactlyElementsOf(cmaKmsg(c.kmsg()));
        assertAllocOutcomes(c, d);
        assertThat(DebugVm.check(d.m.pageAlloc())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"p4-fill-6.1", "p7-pinned-6.1", "p8-pinned-6.12"})
    void filledMachine_cmaLinesEqual_isolationRangesEqual_migrationWithin25Percent(String name) throws Exception {
        OracleCase c = OracleCase.load(name);
        OracleDriver d = new OracleDriver(c);
        d.run(c.ops());
        List<String> sim = TraceSummary.ev(d.m.tracing().lines());
        List<String> real = c.ev();
        assertThat(sim.stream().filter(l -> l.startsWith("cma_")).toList())
                .containsExactlyElementsOf(real.stream().filter(l -> l.startsWith("cma_")).toList());
        List<String> simIso = sim.stream().filter(l -> l.startsWith("test_pages_isolated")).toList();
        List<String> realIso = real.stream().filter(l -> l.startsWith("test_pages_isolated")).toList();
        assertThat(simIso).hasSameSizeAs(realIso);
        for (int i = 0; i < realIso.size(); i++) {
            String s = simIso.get(i);
            String r = realIso.get(i);
            assertThat(field(s, "end_pfn")).as(s).isEqualTo(field(r, "end_pfn"));
            assertThat(field(s, "ret")).as(s).isEqualTo(field(r, "ret"));
            long fin = Long.decode(field(s, "fin_pfn"));
            if (field(r, "ret").equals("fail")) {
                assertThat(field(s, "fin_pfn")).as(s).isEqualTo(field(r, "fin_pfn"));
            } else {
                assertThat(fin).as(s).isGreaterThanOrEqualTo(Long.decode(field(s, "end_pfn")));
            }
        }
        assertThat(cmaKmsg(d.m.printk().lines())).containsExactlyElementsOf(cmaKmsg(c.kmsg()));
        assertAllocOutcomes(c, d);
        long simMigrated = migrated(sim);
        long realMigrated = migrated(real);
        assertThat((double) simMigrated).isBetween(realMigrated * 0.75, realMigrated * 1.25);
        assertThat(DebugVm.check(d.m.pageAlloc())).isEmpty();
    }
}
