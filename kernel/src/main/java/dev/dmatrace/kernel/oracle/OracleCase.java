package dev.dmatrace.kernel.oracle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The inputs of one recorded oracle case, from its {@code case.json} only: kernel, RAM, the CMA area's recorded
 * placement, the module's op script and mask, the fill and the held pages, and the /proc/meminfo MemFree values
 * the run recorded (the fill's target). The file is flat enough for a few patterns; no JSON library is needed.
 */
public record OracleCase(String name, Path dir, String kernel, long ramBase, long ramSizeMib, long cmaBase,
        long cmaSizeMib, List<String> ops, int mask, boolean fill, List<Long> pinnedPfns, List<String> pinnedHow,
        List<Long> memFreeKb) {

    private static final Pattern MEM_FREE = Pattern.compile("MemFree: (\\d+)");

    public static OracleCase load(Path dir) throws IOException {
        String json = Files.readString(dir.resolve("case.json"));
        List<Long> pinned = new ArrayList<>();
        for (String s : strings(json, "pinned_pfns")) {
            pinned.add(Long.decode(s));
        }
        List<Long> memFree = new ArrayList<>();
        for (String s : strings(json, "meminfo")) {
            Matcher m = MEM_FREE.matcher(s);
            if (m.find()) {
                memFree.add(Long.parseLong(m.group(1)));
            }
        }
        String fill = field(json, "fill", "0");
        return new OracleCase(field(json, "name", dir.getFileName().toString()), dir, field(json, "kernel", ""),
                Long.decode(field(json, "ram_base", "0x40000000")), Long.parseLong(field(json, "ram_size_mib", "512")),
                Long.decode(field(json, "cma_base", "0")), Long.parseLong(field(json, "cma_size_mib", "0")),
                strings(json, "ops"), Integer.parseInt(field(json, "mask", "32")),
                !fill.equals("0") && !fill.equals("null"), pinned, strings(json, "pinned_how"), memFree);
    }

    public boolean is612() {
        return kernel.startsWith("6.12");
    }

    public long cmaBasePfn() {
        return cmaBase >>> 12;
    }

    public long cmaEndPfn() {
        return cmaBasePfn() + (cmaSizeMib << 8);
    }

    private static String field(String json, String key, String dflt) {
        Matcher m = Pattern.compile("\"" + key + "\": \"?([^\",\\n]*)\"?").matcher(json);
        return m.find() ? m.group(1).trim() : dflt;
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
