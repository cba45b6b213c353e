package dev.dmatrace.analyzer.tree;

/**
 * Held nodes by hop id: an open-addressing table of primitive longs (linear probing, backward-shift deletion),
 * because a boxed {@code HashMap<Long, Node>} entry costs more than the node it points at and the assembler holds
 * up to a chunk's worth of them. Hop ids are positive; 0 marks an empty slot.
 */
final class NodeIndex {
    private long[] keys = new long[1 << 12];
    private Node[] values = new Node[1 << 12];
    private int size;

    int size() {
        return size;
    }

    Node get(long id) {
        int mask = keys.length - 1;
        for (int i = slot(id, mask); keys[i] != 0; i = (i + 1) & mask) {
            if (keys[i] == id) {
                return values[i];
            }
        }
        return null;
    }

    void put(long id, Node node) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = slot(id, mask);
        while (keys[i] != 0 && keys[i] != id) {
            i = (i + 1) & mask;
        }
        if (keys[i] == 0) {
            size++;
        }
        keys[i] = id;
        values[i] = node;
    }

    void remove(long id) {
        int mask = keys.length - 1;
        int i = slot(id, mask);
        while (keys[i] != id) {
            if (keys[i] == 0) {
                return;
            }
            i = (i + 1) & mask;
        }
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
    }

    /** Every entry, in table order. */
    void forEach(java.util.function.BiConsumer<Long, Node> action) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                action.accept(keys[i], values[i]);
            }
        }
    }

    void clear() {
        java.util.Arrays.fill(keys, 0);
        java.util.Arrays.fill(values, null);
        size = 0;
    }

    private void grow() {
        long[] oldKeys = keys;
        Node[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Node[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int slot(long id, int mask) {
        long h = id * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }
}
