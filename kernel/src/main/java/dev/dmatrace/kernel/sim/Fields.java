package dev.dmatrace.kernel.sim;

import dev.dmatrace.kernel.dma.DmaDirect;
import dev.dmatrace.kernel.sim.Node.Obj;
import dev.dmatrace.kernel.sim.Node.Scalar;
import dev.dmatrace.kernel.sim.Node.Seq;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed values of one scenario file's nodes: maps with known keys, lists, strings, numbers, sizes, masks,
 * durations, flag names. Anything else is a {@link ScenarioException} naming the file, the line and the field.
 */
final class Fields {
    private static final Pattern SIZE = Pattern.compile("(-?)(0x[0-9a-fA-F]+|[0-9]+)\\s*([KMGT]?)(i?B)?");
    private static final Pattern DURATION = Pattern.compile("([0-9]+)\\s*(ns|us|ms|s)");

    private final String file;

    Fields(String file) {
        this.file = file;
    }

    /** {@code GFP_KERNEL | __GFP_NOWARN}: names of the public constants of {@code names}, or a number. */
    long flags(Node n, Class<?> names, String example) throws ScenarioException {
        String text = str(n);
        long v = 0;
        for (String part : text.split("\\|")) {
            String name = part.trim();
            try {
                v |= name.matches("0x[0-9a-fA-F]+|[0-9]+") ? Long.decode(name) : names.getField(name).getLong(null);
            } catch (NoSuchFieldException | IllegalAccessException e) {
                throw error(n, "unknown flag '" + name + "' (expected names like " + example + ")");
            }
        }
        return v;
    }

    Obj obj(Node n, String... keys) throws ScenarioException {
        if (!(n instanceof Obj o)) {
            throw error(n, "expected a map with " + String.join(", ", keys));
        }
        List<String> allowed = List.of(keys);
        for (Map.Entry<String, Node> e : o.fields().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw error(e.getValue(), "unknown key (expected one of: " + String.join(", ", keys) + ")");
            }
        }
        return o;
    }

    Node required(Obj o, String key) throws ScenarioException {
        Node n = o.fields().get(key);
        if (n == null) {
            throw new ScenarioException(file, o.line(), o.path().isEmpty() ? key : o.path() + "." + key,
                    "missing");
        }
        return n;
    }

    Seq seq(Node n) throws ScenarioException {
        if (!(n instanceof Seq s)) {
            throw error(n, "expected a list");
        }
        return s;
    }

    Node scalar(Node n) throws ScenarioException {
        if (!(n instanceof Scalar)) {
            throw error(n, "expected a single value, not a " + (n instanceof Seq ? "list" : "map"));
        }
        return n;
    }

    String str(Node n) throws ScenarioException {
        String t = ((Scalar) scalar(n)).text();
        if (t == null || t.isBlank()) {
            throw error(n, "expected a value");
        }
        return t;
    }

    boolean bool(Node n) throws ScenarioException {
        String t = str(n).toLowerCase(Locale.ROOT);
        if (!t.equals("true") && !t.equals("false")) {
            throw error(n, "expected true or false");
        }
        return t.equals("true");
    }

    long number(Node n) throws ScenarioException {
        String t = str(n);
        try {
            return Long.decode(t);
        } catch (NumberFormatException e) {
            throw error(n, "expected a number");
        }
    }

    long positive(Node n) throws ScenarioException {
        long v = number(n);
        if (v <= 0) {
            throw error(n, "must be more than 0");
        }
        return v;
    }

    /** A size in bytes: {@code 4096}, {@code 0x1000}, {@code 64K}, {@code 200M}, {@code 1G}, {@code 4MiB}. */
    long size(Node n) throws ScenarioException {
        Matcher m = SIZE.matcher(str(n).trim());
        if (!m.matches()) {
            throw error(n, "expected a size like 4096, 64K, 200M or 1G");
        }
        if (!m.group(1).isEmpty()) {
            throw error(n, "a size cannot be negative");
        }
        int shift = switch (m.group(3)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        try {
            long v = Long.decode(m.group(2));
            if (v > Long.MAX_VALUE >>> shift) {
                throw error(n, "too large");
            }
            return v << shift;
        } catch (NumberFormatException e) {
            throw error(n, "too large");
        }
    }

    long positiveSize(Node n) throws ScenarioException {
        long v = size(n);
        if (v == 0) {
            throw error(n, "must be more than 0");
        }
        return v;
    }

    /** A DMA mask: a bit count (1..64) or the mask itself. */
    long mask(Node n) throws ScenarioException {
        long v;
        try {
            v = Long.decode(str(n));
        } catch (NumberFormatException e) {
            throw error(n, "expected a number or a bit count like 32");
        }
        if (v <= 0) {
            throw error(n, "expected a number or a bit count like 32");
        }
        return v <= 64 ? DmaDirect.dmaBitMask((int) v) : v;
    }

    long duration(Node n) throws ScenarioException {
        Matcher m = DURATION.matcher(str(n).trim());
        if (!m.matches()) {
            throw error(n, "expected a duration like 500us, 10ms or 1s");
        }
        long v = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ns" -> v;
            case "us" -> v * 1_000;
            case "ms" -> v * 1_000_000;
            default -> v * 1_000_000_000;
        };
    }

    ScenarioException error(Node n, String message) {
        return new ScenarioException(file, n.line(), n.path(), message);
    }
}
