package dev.dmatrace.kernel.sim;

/**
 * A scenario file the runner cannot accept: the message is one line, {@code FILE:LINE: FIELD: what is wrong}
 * ({@code FILE: what is wrong} when no line applies, as for a file that cannot be read).
 */
public final class ScenarioException extends Exception {

    public ScenarioException(String file, int line, String field, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + (field.isEmpty() ? "" : field + ": ") + message);
    }
}
