package dev.dmatrace.kernel;

/**
 * The errno values the port returns, negated at the return site like the kernel ({@code return -EBUSY;}).
 * Values from include/uapi/asm-generic/errno-base.h and errno.h.
 */
public final class Errno {

    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EBUSY = 16;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int ENOSYS = 38;

    private Errno() {
    }

    /** The symbolic name of a (positive or negative) errno, e.g. {@code -16 -> "EBUSY"}; the number itself otherwise. */
    public static String name(int errno) {
        return switch (Math.abs(errno)) {
            case ENOENT -> "ENOENT";
            case EINTR -> "EINTR";
            case EIO -> "EIO";
            case ENXIO -> "ENXIO";
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EBUSY -> "EBUSY";
            case ENODEV -> "ENODEV";
            case EINVAL -> "EINVAL";
            case ENOSPC -> "ENOSPC";
            case ENOSYS -> "ENOSYS";
            default -> Integer.toString(errno);
        };
    }
}
