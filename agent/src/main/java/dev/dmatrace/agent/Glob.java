package dev.dmatrace.agent;

import java.util.regex.Pattern;

/** A {@code *}-wildcard pattern over symbols ({@code cma_*}) or {@code class#method} names. */
record Glob(String text, Pattern regex) {

    static Glob of(String text) {
        StringBuilder re = new StringBuilder();
        String[] parts = text.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            re.append(i == 0 ? "" : ".*").append(Pattern.quote(parts[i]));
        }
        return new Glob(text, Pattern.compile(re.toString()));
    }

    boolean matches(String s) {
        return regex.matcher(s).matches();
    }

    /** A pattern with a {@code #} names code by class and method; without one it names a kernel symbol. */
    boolean namesCode() {
        return text.indexOf('#') >= 0;
    }

    /** The class part of a {@code class#method} pattern. */
    Glob classPart() {
        return of(text.substring(0, text.indexOf('#')));
    }
}
