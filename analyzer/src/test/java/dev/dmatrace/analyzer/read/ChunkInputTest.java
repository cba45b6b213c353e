package dev.dmatrace.analyzer.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import dev.dmatrace.analyzer.util.LongMap;

/** JFR's inline strings as JDK 17 and later write them, read back through the cache and stepped over. */
class ChunkInputTest {
    private static final int SENTINEL = 0x5A;

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** {@code s} in encoding 4 (a char array: the length, then each char as a varint), the way JDK 17 writes. */
    private static void chars(ByteArrayOutputStream out, String s) {
        out.write(4);
        varint(out, s.length());
        for (char c : s.toCharArray()) {
            varint(out, c);
        }
    }

    private static void utf8(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(3);
        varint(out, b.length);
        out.write(b, 0, b.length);
    }

    @Property(tries = 300)
    void everyString_readsBack_andSkipsToTheSamePlace(@ForAll String s, @ForAll @IntRange(min = 0, max = 9) int pad) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[pad], 0, pad); // strings start at every alignment
        for (int copy = 0; copy < 2; copy++) { // the second copy of each comes from the cache
            chars(out, s);
            utf8(out, s);
        }
        out.write(SENTINEL);
        ChunkInput in = new ChunkInput(ByteBuffer.wrap(out.toByteArray()));
        LongMap<String> pool = new LongMap<>();

        in.pos = pad;
        for (int i = 0; i < 4; i++) {
            assertThat(in.string(pool)).isEqualTo(s);
        }
        assertThat(in.buf.get(in.pos)).isEqualTo((byte) SENTINEL);

        in.pos = pad;
        for (int i = 0; i < 4; i++) {
            in.skipString();
        }
        assertThat(in.buf.get(in.pos)).isEqualTo((byte) SENTINEL);
    }

    @Test
    void charsOfSeveralBytes_areNotTakenForAsciiEvenPastTheFirstEightBytes() {
        String s = "abcdefghijkl\u00b5s\u4e2d"; // ASCII for 12 chars, then 2- and 3-byte varints
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        chars(out, s);
        chars(out, "abcdefghijklmno");
        out.write(SENTINEL);
        ChunkInput in = new ChunkInput(ByteBuffer.wrap(out.toByteArray()));

        assertThat(in.string(new LongMap<>())).isEqualTo(s);
        assertThat(in.string(new LongMap<>())).isEqualTo("abcdefghijklmno");
        assertThat(in.buf.get(in.pos)).isEqualTo((byte) SENTINEL);
    }

    @Test
    void aCharArrayWhoseLastVarintRunsPastTheChunk_isDamage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(4);
        varint(out, 2);
        out.write(0x80); // two bytes for two chars, but each begins a varint that never ends
        out.write(0x80);
        ChunkInput in = new ChunkInput(ByteBuffer.wrap(out.toByteArray()));

        assertThatThrownBy(() -> in.string(new LongMap<>())).isInstanceOf(RuntimeException.class);
    }
}
