package dev.dmatrace.kernel.sim;

/** A scenario file the runner cannot accept: the message is one line, {@code FILE:LINE: FIELD: what is wrong}. */
public final class ScenarioException extends Exception {

    public ScenarioException(String file, int line, String field, String message) {
        super(file + ":" + line + ": " + (field.isEmpty() ? "" : field + ": ") + message);
    }
}
