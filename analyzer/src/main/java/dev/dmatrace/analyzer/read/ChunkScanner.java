package dev.dmatrace.analyzer.read;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the complete chunks of a JFR file by reading their headers ourselves, so that a truncated or damaged
 * chunk never reaches {@code RecordingFile} (which hangs or throws on such input in several JDKs). A chunk header
 * is 68 bytes: magic {@code FLR\0}, major, minor (u2 each), then chunk size, constant-pool offset and metadata
 * offset (i8 each, big-endian). A chunk still being written has its offsets at 0.
 */
public final class ChunkScanner {
    static final int HEADER_SIZE = 68;
    private static final int MAGIC = 0x464C5200; // "FLR\0"

    /** A chunk at {@code offset} of {@code size} bytes, complete on disk. */
    public record Chunk(long offset, long size) {}

    /** The complete chunks, and what could not be used. */
    public record Layout(List<Chunk> chunks, long fileSize, long lostBytes, int damagedChunks, List<String> notes,
                         boolean jfrMagic) {}

    private ChunkScanner() {}

    public static Layout scan(FileChannel ch) throws IOException {
        long fileSize = ch.size();
        List<Chunk> chunks = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        long lost = 0;
        int damaged = 0;
        long pos = 0;
        ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
        while (pos < fileSize) {
            String why = check(ch, pos, fileSize, header);
            if (why == null) {
                long size = header.getLong(8);
                chunks.add(new Chunk(pos, size));
                pos += size;
                continue;
            }
            damaged++;
            // resynchronise on the next readable chunk header: chunks are independent of each other
            long next = nextHeader(ch, pos + 1, fileSize, header);
            long skipped = next - pos;
            lost += skipped;
            notes.add(String.format("chunk at byte %d: %s (%d bytes skipped)", pos, why, skipped));
            pos = next;
        }
        ByteBuffer magic = ByteBuffer.allocate(4);
        boolean jfr = fileSize >= 4 && ch.read(magic, 0) == 4 && magic.getInt(0) == MAGIC;
        return new Layout(List.copyOf(chunks), fileSize, lost, damaged, List.copyOf(notes), jfr);
    }

    /** Null when a complete chunk starts at {@code pos}, else why not. */
    private static String check(FileChannel ch, long pos, long fileSize, ByteBuffer header) throws IOException {
        if (fileSize - pos < HEADER_SIZE) {
            return "truncated inside the chunk header";
        }
        header.clear();
        while (header.hasRemaining()) {
            if (ch.read(header, pos + header.position()) < 0) {
                return "truncated inside the chunk header";
            }
        }
        if (header.getInt(0) != MAGIC) {
            return "no JFR chunk magic";
        }
        int major = header.getShort(4);
        if (major != 1 && major != 2) {
            return "unsupported chunk format " + major + "." + header.getShort(6);
        }
        long size = header.getLong(8);
        long cpOffset = header.getLong(16);
        long metaOffset = header.getLong(24);
        if (cpOffset == 0 || metaOffset == 0) {
            return "chunk was never finished (no metadata)";
        }
        if (size < HEADER_SIZE || cpOffset >= size || metaOffset >= size || cpOffset < HEADER_SIZE
                || metaOffset < HEADER_SIZE) {
            return "corrupt chunk header";
        }
        if (size > fileSize - pos) {
            return String.format("truncated: %d of %d bytes present", fileSize - pos, size);
        }
        return null;
    }

    private static long nextHeader(FileChannel ch, long from, long fileSize, ByteBuffer header) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        long pos = from;
        while (pos < fileSize) {
            buf.clear();
            int n = ch.read(buf, pos);
            if (n <= 0) {
                break;
            }
            for (int i = 0; i + 3 < n; i++) {
                long at = pos + i;
                if (buf.getInt(i) == MAGIC && check(ch, at, fileSize, header) == null) {
                    // chunks hold header-like copies of headers: trust a header only if its chunk ends at
                    // the end of the file or at another header
                    long end = at + header.getLong(8);
                    if (end == fileSize || check(ch, end, fileSize, header) == null) {
                        return at;
                    }
                }
            }
            pos += Math.max(1, n - 3);
        }
        return fileSize;
    }
}
