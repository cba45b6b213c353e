package dev.dmatrace.kernel.of;

/**
 * A reference inside a property value, resolved after parsing: a phandle cell ({@code <&x>}) or, written bare
 * ({@code = &x;}), the path string of the node.
 */
record ValueRef(String label, String path, boolean asPath, Location at) {

    String describe() {
        return label != null ? "label '" + label + "'" : "path '" + path + "'";
    }
}
