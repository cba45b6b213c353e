package dev.dmatrace.kernel.sim;

/** Sizes and times as the output writes them. */
final class Sizes {

    private Sizes() {
    }

    /** {@code 200 MiB}, {@code 64 KiB}, {@code 1 GiB}, else bytes. */
    static String of(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " B";
    }

    /** Nanoseconds as microseconds with one decimal: {@code 1234.5}. */
    static String micros(long ns) {
        return ns / 1000 + "." + (ns % 1000) / 100;
    }
}
