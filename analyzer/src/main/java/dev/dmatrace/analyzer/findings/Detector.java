package dev.dmatrace.analyzer.findings;

/**
 * One rule, after JMC's: a stable id, a severity, a one-line explanation, and the evidence of every occurrence.
 * A detector never prints; it sees each call tree once, in the order the trees complete, and may report more
 * at the end of the recording. It reports an occurrence as a recipe for its finding ({@link Occurrences}), and
 * should return at once from a tree that holds none of the hops it looks for ({@link TreeFacts#any(int)}).
 */
public interface Detector {
    String id();

    Severity severity();

    /** What the finding means, in a kernel engineer's words. */
    String explanation();

    void inspect(TreeFacts facts, Occurrences out);

    /** Called once after the last tree. */
    default void finish(Occurrences out) {}

    default Finding finding(String message, Evidence evidence, TreeFacts facts) {
        return new Finding(id(), severity(), message, evidence, facts.tree().rootId(), facts.tree().root());
    }
}
