package dev.dmatrace.analyzer.util;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * A map from long keys to values without boxing: open addressing, linear probing, backward-shift deletion. The
 * decoder looks up an event type, a string or a thread per field and the tree assembler holds a chunk's worth of
 * hops by id, so a {@code HashMap<Long, V>} would box a key per lookup and cost more per entry than the node it
 * points at. Key 0 (the null entry of some JFR pools) is kept apart from the empty-slot marker.
 */
public final class LongMap<V> {
    private long[] keys;
    private Object[] values;
    private Object zero;
    private boolean hasZero;
    private int size;

    /** {@code capacity}: the initial number of slots, a power of two. */
    public LongMap(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity " + capacity + " is not a power of two");
        }
        keys = new long[capacity];
        values = new Object[capacity];
    }

    public LongMap() {
        this(16);
    }

    public int size() {
        return size + (hasZero ? 1 : 0);
    }

    @SuppressWarnings("unchecked")
    public V get(long key) {
        if (key == 0) {
            return (V) zero;
        }
        int mask = keys.length - 1;
        for (int i = slot(key, mask); keys[i] != 0; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return (V) values[i];
            }
        }
        return null;
    }

    public boolean containsKey(long key) {
        if (key == 0) {
            return hasZero;
        }
        int mask = keys.length - 1;
        for (int i = slot(key, mask); keys[i] != 0; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return true;
            }
        }
        return false;
    }

    public void put(long key, V value) {
        if (key == 0) {
            zero = value;
            hasZero = true;
            return;
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (keys[i] != 0 && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (keys[i] == 0) {
            size++;
        }
        keys[i] = key;
        values[i] = value;
    }

    /** Removes {@code key}; the value it had, or null. */
    @SuppressWarnings("unchecked")
    public V remove(long key) {
        if (key == 0) {
            V old = (V) zero;
            zero = null;
            hasZero = false;
            return old;
        }
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (keys[i] != key) {
            if (keys[i] == 0) {
                return null;
            }
            i = (i + 1) & mask;
        }
        V old = (V) values[i];
        // shift later entries of the same probe run back into the hole
        int hole = i;
        for (int j = (hole + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
            int home = slot(keys[j], mask);
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        keys[hole] = 0;
        values[hole] = null;
        size--;
        return old;
    }

    /** Every entry, key 0 first, then in table order. */
    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<Long, V> action) {
        if (hasZero) {
            action.accept(0L, (V) zero);
        }
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                action.accept(keys[i], (V) values[i]);
            }
        }
    }

    public void clear() {
        Arrays.fill(keys, 0);
        Arrays.fill(values, null);
        zero = null;
        hasZero = false;
        size = 0;
    }

    @SuppressWarnings("unchecked")
    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                put(oldKeys[i], (V) oldValues[i]);
            }
        }
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }
}
