package dev.dmatrace.analyzer.findings;

/** How bad a finding is, after JMC's rule severities, with ERROR for a driver-visible failure. */
public enum Severity {
    INFO, WARNING, ERROR;

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }
}
