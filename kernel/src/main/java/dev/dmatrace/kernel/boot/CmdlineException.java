package dev.dmatrace.kernel.boot;

/** A command line the kernel would accept but almost certainly not as meant; the message names parameter and text. */
public final class CmdlineException extends Exception {

    public CmdlineException(String message) {
        super(message);
    }
}
