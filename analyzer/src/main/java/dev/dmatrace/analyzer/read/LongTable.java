package dev.dmatrace.analyzer.read;

/**
 * A map from long keys to values without boxing: open addressing, linear probing. The decoder looks up an event
 * type, a string or a thread per field, so a {@code HashMap<Long, V>} would box a key for every one of them.
 */
final class LongTable<V> {
    private long[] keys = new long[16];
    private Object[] values = new Object[16];
    /** Key 0 is a valid JFR key (the null entry of some pools): kept apart from the empty-slot marker. */
    private Object zero;
    private boolean hasZero;
    private int size;

    @SuppressWarnings("unchecked")
    V get(long key) {
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

    boolean containsKey(long key) {
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

    void put(long key, V value) {
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
