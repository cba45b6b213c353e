package dev.dmatrace.kernel.of;

/**
 * A devicetree source the parser cannot accept. The message always starts with {@code FILE:LINE:COL: }, like
 * dtc's, so a user can jump to the offending token.
 */
public final class DtsException extends Exception {

    private final Location location;

    public DtsException(Location location, String message) {
        super(location + ": " + message);
        this.location = location;
    }

    public Location location() {
        return location;
    }
}
