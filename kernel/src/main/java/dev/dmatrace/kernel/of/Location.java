package dev.dmatrace.kernel.of;

/** A place in a devicetree source: file name, 1-based line and column. Prints as {@code FILE:LINE:COL}. */
public record Location(String file, int line, int column) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
