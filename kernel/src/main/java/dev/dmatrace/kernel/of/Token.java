package dev.dmatrace.kernel.of;

/** One lexical token of a devicetree source, with the place it starts at. */
record Token(Kind kind, String text, Location at) {

    enum Kind {
        /** A run of name characters: node and property names, labels, numbers, byte-string digits. */
        WORD,
        /** A quoted string, unescaped. */
        STRING,
        /** {@code /dts-v1/}, {@code /delete-node/} and the other slash-delimited keywords. */
        DIRECTIVE,
        /** {@code &label}; the text is the label. */
        REF,
        /** {@code &{/path}}; the text is the path. */
        PATH_REF,
        /** One punctuation character: {@code / { } ; = , < > [ ] : ( )}. */
        PUNCT,
        EOF
    }

    boolean is(String punct) {
        return kind == Kind.PUNCT && text.equals(punct);
    }

    String describe() {
        return switch (kind) {
            case EOF -> "end of file";
            case STRING -> "string \"" + text + "\"";
            case REF -> "'&" + text + "'";
            case PATH_REF -> "'&{" + text + "}'";
            default -> "'" + text + "'";
        };
    }
}
