package dev.dmatrace.analyzer.render.flame;

/**
 * How a call ended, as the findings judged it. The suffix is a FlameGraph-style frame annotation, so
 * {@code flamegraph.pl}, speedscope and async-profiler's converter keep it in the frame name.
 */
public enum Outcome {
    SUCCESS(""), BUSY("_[busy]"), FALLBACK("_[fallback]"), FAILED("_[failed]");

    private final String suffix;

    Outcome(String suffix) {
        this.suffix = suffix;
    }

    public String suffix() {
        return suffix;
    }

    /** The worse of two: a failure outranks a fallback, which outranks a busy retry. */
    public Outcome worse(Outcome other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
