package dev.dmatrace.kernel.of;

/** The errno values of/ returns, negated at the return site as in C. Local to of/ until mm's Errno is merged. */
final class Errno {

    static final int ENOENT = 2;
    static final int ENOMEM = 12;
    static final int EBUSY = 16;
    static final int ENODEV = 19;
    static final int EINVAL = 22;

    private Errno() {
    }
}
