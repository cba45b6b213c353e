package dev.dmatrace.kernel.of;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A devicetree property: a name and the raw big-endian bytes a flattened tree would carry, plus where it was
 * written. Typed readers decode the bytes the way the kernel's {@code of_property_read_*} helpers do.
 */
public final class Property {

    private final String name;
    private final Location at;
    private byte[] value;

    Property(String name, byte[] value, Location at) {
        this.name = name;
        this.value = value;
        this.at = at;
    }

    public String name() {
        return name;
    }

    public Location location() {
        return at;
    }

    /** The length in bytes, as {@code of_get_flat_dt_prop}'s {@code lenp} reports it. */
    public int length() {
        return value.length;
    }

    public byte[] bytes() {
        return value.clone();
    }

    /** A boolean property such as {@code no-map;}: present with no value. */
    public boolean isEmpty() {
        return value.length == 0;
    }

    public int cellCount() {
        return value.length / 4;
    }

    /** The 32-bit cell at {@code index}, unsigned. */
    public long cell(int index) {
        int o = index * 4;
        return ((value[o] & 0xffL) << 24) | ((value[o + 1] & 0xffL) << 16) | ((value[o + 2] & 0xffL) << 8)
                | (value[o + 3] & 0xffL);
    }

    /**
     * {@code of_read_number}: {@code count} cells from {@code index} folded into 64 bits; with more than two cells
     * the high ones are shifted out, as in the kernel.
     */
    public long readNumber(int index, int count) {
        long r = 0;
        for (int i = 0; i < count; i++) {
            r = (r << 32) | cell(index + i);
        }
        return r;
    }

    /** The value as one {@code u32}; {@code -1} (never a valid cell) if it is shorter than one cell. */
    public long u32() {
        return value.length < 4 ? -1 : cell(0);
    }

    /** The value as one {@code u64} (two cells); {@code -1} if it is shorter than two cells. */
    public long u64() {
        return value.length < 8 ? -1 : readNumber(0, 2);
    }

    /** The NUL-separated strings of a string or string-list property. */
    public List<String> strings() {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < value.length; i++) {
            if (value[i] == 0) {
                out.add(new String(value, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < value.length) {
            out.add(new String(value, start, value.length - start, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** The first string, or {@code null} for an empty property. */
    public String string() {
        List<String> s = strings();
        return s.isEmpty() ? null : s.get(0);
    }

    void setValue(byte[] bytes) {
        this.value = bytes;
    }

    @Override
    public String toString() {
        return name + " (" + value.length + " bytes) at " + at;
    }
}
