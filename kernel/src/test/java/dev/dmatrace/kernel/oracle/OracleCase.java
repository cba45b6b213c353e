package dev.dmatrace.kernel.oracle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One recorded oracle case of sample-traces/oracle-cases: its inputs (case.json) and summary.txt. */
record OracleCase(String name, String kernel, long cmaBase, long cmaSizeMib, List<String> ops, boolean fill,
        List<Long> pinnedPfns, List<String> ev, List<Long> memFreeKb, List<String> kmsg, List<String> allocs) {

    static final Path DIR = Path.of("../sample-traces/oracle-cases");

    static OracleCase load(String name) throws IOException {
        String json = Files.readString(DIR.resolve(name).resolve("case.json"));
        List<String> summary = Files.readAllLines(DIR.resolve(name).resolve("summary.txt"));
        List<String> ops = strings(json, "ops");
        List<Long> pinned = new ArrayList<>();
        for (String s : strings(json, "pinned_pfns")) {
            pinned.add(Long.decode(s));
        }
        List<String> ev = new ArrayList<>();
        List<Long> memFree = new ArrayList<>();
        List<String> kmsg = new ArrayList<>();
        List<String> allocs = new ArrayList<>();
        for (String l : summary) {
            Matcher a = Pattern.compile("^MOD dma_oracle: alloc idx=\\d+ size=\\d+ (ok=\\d)(?: dma=\\S+ (pfn=\\S+))?")
                    .matcher(l);
            if (a.find()) {
                allocs.add(a.group(2) == null ? a.group(1) : a.group(1) + " " + a.group(2));
            }
            if (l.startsWith("KMSG ")) {
                kmsg.add(l.substring(5));
            }
            if (l.startsWith("EV ")) {
                ev.add(l.substring(3));
            } else if (l.startsWith("MEM ")) {
                Matcher m = Pattern.compile("MemFree: (\\d+)").matcher(l);
                if (m.find()) {
                    memFree.add(Long.parseLong(m.group(1)));
                }
            }
        }
        return new OracleCase(name, field(json, "kernel"), Long.decode(field(json, "cma_base")),
                Long.parseLong(field(json, "cma_size_mib")), ops, !field(json, "fill").equals("0"), pinned, ev,
                memFree, kmsg, allocs);
    }

    private static String field(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": \"?([^\",\\n]*)\"?").matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException("no " + key);
        }
        return m.group(1).trim();
    }

    private static List<String> strings(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": \\[([^\\]]*)\\]").matcher(json);
        List<String> out = new ArrayList<>();
        if (m.find()) {
            Matcher s = Pattern.compile("\"([^\"]*)\"").matcher(m.group(1));
            while (s.find()) {
                out.add(s.group(1));
            }
        }
        return out;
    }
}
