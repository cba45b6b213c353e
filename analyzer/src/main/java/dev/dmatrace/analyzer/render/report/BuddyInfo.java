package dev.dmatrace.analyzer.render.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.dmatrace.analyzer.read.Hop;

/**
 * {@code /proc/buddyinfo} before and after: the first and the last {@code frag_show} call of the recording whose
 * result (the text the kernel printed) the agent captured. Free blocks per order, per zone.
 */
public record BuddyInfo(long before, long after, List<Zone> zones) {

    /** One zone's free blocks per order at the first and the last snapshot. */
    public record Zone(String node, String zone, long[] before, long[] after) {}

    static final String SYMBOL = "frag_show";

    private static final Pattern LINE = Pattern.compile("^Node\\s+(\\d+),\\s+zone\\s+(\\S+)\\s+([\\d\\s]+)$");

    /** Null when the recording has no buddyinfo snapshot. */
    public static BuddyInfo of(RecordingViews views) {
        long t0 = Slices.origin(views);
        List<Hop> shows = new ArrayList<>();
        for (List<RecordingViews.TreeOutcome> trees : views.byThread().values()) {
            for (RecordingViews.TreeOutcome t : trees) {
                t.tree().root().walk(n -> {
                    if (!n.synthetic() && n.hop().kind() == Hop.Kind.FN && SYMBOL.equals(n.hop().symbol())
                            && n.hop().ret() instanceof String) {
                        shows.add(n.hop());
                    }
                });
            }
        }
        if (shows.isEmpty()) {
            return null;
        }
        shows.sort(Comparator.comparingLong(Hop::startNanos));
        Hop first = shows.get(0);
        Hop last = shows.get(shows.size() - 1);
        List<Zone> zones = new ArrayList<>();
        List<String[]> a = parse((String) first.ret());
        List<String[]> b = parse((String) last.ret());
        for (String[] za : a) {
            long[] after = null;
            for (String[] zb : b) {
                if (zb[0].equals(za[0]) && zb[1].equals(za[1])) {
                    after = counts(zb[2]);
                }
            }
            zones.add(new Zone(za[0], za[1], counts(za[2]), after == null ? new long[0] : after));
        }
        return new BuddyInfo(first.startNanos() - t0, last.startNanos() - t0, zones);
    }

    /** Node, zone and the counts text of each {@code Node N, zone NAME c0 c1 ...} line. */
    private static List<String[]> parse(String text) {
        List<String[]> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = LINE.matcher(line.strip());
            if (m.matches()) {
                out.add(new String[] {m.group(1), m.group(2), m.group(3)});
            }
        }
        return out;
    }

    private static long[] counts(String text) {
        String[] f = text.trim().split("\\s+");
        long[] c = new long[f.length];
        for (int i = 0; i < f.length; i++) {
            c[i] = Long.parseLong(f[i]);
        }
        return c;
    }
}
