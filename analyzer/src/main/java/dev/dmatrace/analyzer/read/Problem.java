package dev.dmatrace.analyzer.read;

/**
 * Something wrong with an input recording, in one line a person can act on. A fatal problem means nothing (or
 * nothing trustworthy) could be analysed; the others say what was lost while the rest was still analysed.
 */
public record Problem(Kind kind, String message) {

    public enum Kind {
        NOT_FOUND(true), EMPTY(true), NOT_JFR(true), NO_DMATRACE_EVENTS(true), SCHEMA_TOO_NEW(true),
        TRUNCATED(false), DAMAGED_CHUNK(false), DATA_LOSS(false), MALFORMED_EVENTS(false);

        private final boolean fatal;

        Kind(boolean fatal) {
            this.fatal = fatal;
        }

        public boolean fatal() {
            return fatal;
        }
    }

    public boolean fatal() {
        return kind.fatal();
    }
}
