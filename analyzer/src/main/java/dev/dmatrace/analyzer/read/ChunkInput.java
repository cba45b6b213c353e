package dev.dmatrace.analyzer.read;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import dev.dmatrace.analyzer.util.LongMap;

/**
 * A cursor over one chunk's bytes and JFR's primitives in it: LEB128 varints (the last of nine bytes taken whole)
 * and strings in every encoding (null, empty, constant-pool reference, UTF-8, char array, Latin-1). Repeated
 * inline strings and boxed numbers are shared, so held hops do not carry one copy per event.
 */
final class ChunkInput {
    final ByteBuffer buf;
    final int size;
    /** The read position, moved by the primitives; the decoder sets it to jump between the chunk's parts. */
    int pos;

    ChunkInput(ByteBuffer chunk) {
        this.buf = chunk;
        this.size = chunk.limit();
    }

    long varlong() {
        int p = pos;
        if (p <= size - Long.BYTES) {
            // one read of eight bytes instead of a bounds-checked read per byte; the first byte is the top one
            long w = buf.getLong(p);
            long v = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                long b = w >>> (56 - 8 * i);
                v |= (b & 0x7FL) << (7 * i);
                if ((b & 0x80) == 0) {
                    pos = p + i + 1;
                    return v;
                }
            }
            pos = p + Long.BYTES + 1;
            return v | (buf.get(p + Long.BYTES) & 0xFFL) << 56;
        }
        long v = 0;
        for (int shift = 0; shift < 56; shift += 7) {
            byte b = buf.get(pos++);
            v |= (b & 0x7FL) << shift;
            if (b >= 0) {
                return v;
            }
        }
        return v | (buf.get(pos++) & 0xFFL) << 56;
    }

    /** Steps over a varint without decoding it: the first pass of the by-tree decoder only needs the ids. */
    void skipVarlong() {
        int p = pos;
        if (p <= size - Long.BYTES) {
            // the first byte without the continuation bit ends it; none among eight: the ninth is taken whole
            pos = p + 1 + (Long.numberOfLeadingZeros(~buf.getLong(p) & HIGH_BITS) >>> 3);
            return;
        }
        varlong();
    }

    /** A string in any of JFR's encodings; {@code pool}: the chunk's string constant pool (encoding 2). */
    String string(LongMap<String> pool) {
        byte encoding = buf.get(pos++);
        switch (encoding) {
            case 0:
                return null;
            case 1:
                return "";
            case 2:
                return pool.get(varlong());
            case 3, 5: {
                int n = length();
                return cachedString(encoding, pos, n, n);
            }
            case 4: {
                int n = length();
                int start = pos;
                return cachedString(encoding, start, charsSpan(start, n), n);
            }
            default:
                throw new IllegalStateException("unknown string encoding " + encoding);
        }
    }

    /**
     * The bytes taken by {@code n} chars written as varints from {@code start}; the cursor stays. Device and
     * flag names are ASCII, one byte a char, which eight bytes at a time tells without decoding them.
     */
    private int charsSpan(int start, int n) {
        if (n <= size - start) {
            int i = 0;
            while (i + Long.BYTES <= n && (buf.getLong(start + i) & HIGH_BITS) == 0) {
                i += Long.BYTES;
            }
            while (i < n && buf.get(start + i) >= 0) {
                i++;
            }
            if (i == n) {
                return n;
            }
        }
        for (int i = 0; i < n; i++) {
            varlong();
        }
        int span = pos - start;
        pos = start;
        return span;
    }

    void skipString() {
        byte encoding = buf.get(pos++);
        switch (encoding) {
            case 0, 1 -> { }
            case 2 -> varlong();
            case 3, 5 -> {
                int n = length(); // not pos += length(): that would add to pos as it was before the length
                pos += n;
            }
            case 4 -> {
                int n = length();
                pos += charsSpan(pos, n);
            }
            default -> throw new IllegalStateException("unknown string encoding " + encoding);
        }
    }

    int length() {
        long n = varlong();
        if (n < 0 || n > size - pos) {
            throw new IllegalStateException("string length " + n + " beyond the chunk");
        }
        return (int) n;
    }

    /**
     * The inline string of {@code length} characters whose encoded bytes are the {@code span} at {@code start},
     * shared with its earlier copies in this chunk: the same device and flag names come with nearly every hop
     * (JDK 17 writes each as a char array), and a held tree would otherwise carry one copy per hop.
     */
    private String cachedString(byte encoding, int start, int span, int length) {
        if (span > CACHED_STRING_BYTES) {
            return decodeString(encoding, start, span, length);
        }
        int h = hash(encoding, start, span);
        int slot = (h ^ h >>> 16) & (STRING_CACHE - 1);
        byte[] key = stringKeys[slot];
        if (key != null && key.length == span + 2 && key[span] == encoding && key[span + 1] == (byte) h
                && sameBytes(key, start, span)) {
            pos = start + span;
            return stringValues[slot];
        }
        byte[] k = new byte[span + 2];
        buf.get(start, k, 0, span);
        k[span] = encoding;
        k[span + 1] = (byte) h;
        String v = decodeString(encoding, start, span, length);
        stringKeys[slot] = k;
        stringValues[slot] = v;
        return v;
    }

    private String decodeString(byte encoding, int start, int span, int length) {
        pos = start;
        if (encoding == 4) {
            char[] c = new char[length];
            for (int i = 0; i < length; i++) {
                c[i] = (char) varlong();
            }
            return new String(c);
        }
        byte[] b = new byte[span];
        buf.get(start, b);
        pos = start + span;
        return new String(b, encoding == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }

    /** A hash of the {@code span} bytes at {@code start}, eight at a time. */
    private int hash(byte encoding, int start, int span) {
        long h = encoding;
        int i = 0;
        for (; i + Long.BYTES <= span; i += Long.BYTES) {
            h = (h + buf.getLong(start + i)) * 0x9E3779B97F4A7C15L;
        }
        for (; i < span; i++) {
            h = (h + buf.get(start + i)) * 31;
        }
        return (int) (h ^ h >>> 32);
    }

    private boolean sameBytes(byte[] key, int start, int n) {
        int i = 0;
        for (; i + Long.BYTES <= n; i += Long.BYTES) {
            if ((long) KEY_WORDS.get(key, i) != buf.getLong(start + i)) {
                return false;
            }
        }
        for (; i < n; i++) {
            if (key[i] != buf.get(start + i)) {
                return false;
            }
        }
        return true;
    }

    private static final long HIGH_BITS = 0x8080808080808080L;
    /** Reads a cached key eight bytes at a time in the chunk's (big-endian) byte order. */
    private static final VarHandle KEY_WORDS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.BIG_ENDIAN);

    private static final int CACHED_STRING_BYTES = 96;
    private static final int STRING_CACHE = 1024;
    private final byte[][] stringKeys = new byte[STRING_CACHE][];
    private final String[] stringValues = new String[STRING_CACHE];

    /** Boxes shared for repeated values (sizes, counts, orders), as {@code Long.valueOf} does for small ones. */
    private static final int BOX_CACHE = 4096;
    private final Long[] longs = new Long[BOX_CACHE];
    private final Integer[] ints = new Integer[BOX_CACHE];

    Long boxLong(long v) {
        int slot = (int) (v * 0x9E3779B97F4A7C15L >>> 52);
        Long b = longs[slot];
        if (b == null || b != v) {
            b = v;
            longs[slot] = b;
        }
        return b;
    }

    Integer boxInt(int v) {
        int slot = (int) ((v * 0x9E3779B97F4A7C15L) >>> 52);
        Integer b = ints[slot];
        if (b == null || b != v) {
            b = v;
            ints[slot] = b;
        }
        return b;
    }
}
