package dev.dmatrace.kernel.of;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits devicetree source into tokens, following dtc's lexer for the subset a board's nodes use. Names, labels
 * and numbers share one token kind ({@link Token.Kind#WORD}) because dtc's character classes overlap; the parser
 * decides from context what a word is.
 */
final class DtsLexer {

    private final String file;
    private final String src;
    private int pos;
    private int line = 1;
    private int col = 1;

    private DtsLexer(String file, String src) {
        this.file = file;
        this.src = src;
    }

    static List<Token> tokenize(String file, String src) throws DtsException {
        return new DtsLexer(file, src).all();
    }

    /** dtc's PROPNODECHAR: what node names, property names and numbers are made of. */
    static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) && c < 128 || ",._+*#?@-".indexOf(c) >= 0;
    }

    static boolean isLabelChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '_');
    }

    private List<Token> all() throws DtsException {
        List<Token> out = new ArrayList<>();
        while (true) {
            skipBlanksAndComments();
            Location at = here();
            if (pos >= src.length()) {
                out.add(new Token(Token.Kind.EOF, "", at));
                return out;
            }
            out.add(next(at));
        }
    }

    private Token next(Location at) throws DtsException {
        char c = src.charAt(pos);
        if (c == '"') {
            return new Token(Token.Kind.STRING, string(at), at);
        }
        if (c == '&') {
            return reference(at);
        }
        if (c == '/' && pos + 1 < src.length() && Character.isLetter(src.charAt(pos + 1))) {
            return directive(at);
        }
        if ("/{};=,<>[]:()".indexOf(c) >= 0) {
            advance();
            return new Token(Token.Kind.PUNCT, String.valueOf(c), at);
        }
        if (isWordChar(c)) {
            int start = pos;
            while (pos < src.length() && isWordChar(src.charAt(pos))) {
                advance();
            }
            return new Token(Token.Kind.WORD, src.substring(start, pos), at);
        }
        if (c == '\'') {
            throw new DtsException(at, "character literals are not supported");
        }
        throw new DtsException(at, "unexpected character " + printable(c));
    }

    private Token reference(Location at) throws DtsException {
        advance();
        if (pos < src.length() && src.charAt(pos) == '{') {
            advance();
            int start = pos;
            while (pos < src.length() && src.charAt(pos) != '}' && src.charAt(pos) != '\n') {
                advance();
            }
            if (pos >= src.length() || src.charAt(pos) != '}') {
                throw new DtsException(at, "unterminated path reference '&{'");
            }
            String path = src.substring(start, pos);
            advance();
            return new Token(Token.Kind.PATH_REF, path, at);
        }
        int start = pos;
        while (pos < src.length() && isLabelChar(src.charAt(pos))) {
            advance();
        }
        if (start == pos) {
            throw new DtsException(at, "'&' must be followed by a label or {/path}");
        }
        return new Token(Token.Kind.REF, src.substring(start, pos), at);
    }

    private Token directive(Location at) throws DtsException {
        int start = pos;
        advance();
        while (pos < src.length() && (isLabelChar(src.charAt(pos)) || src.charAt(pos) == '-')) {
            advance();
        }
        if (pos >= src.length() || src.charAt(pos) != '/') {
            throw new DtsException(at, "unterminated directive '" + src.substring(start, pos) + "'");
        }
        advance();
        return new Token(Token.Kind.DIRECTIVE, src.substring(start, pos), at);
    }

    private String string(Location at) throws DtsException {
        advance();
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= src.length()) {
                throw new DtsException(at, "unterminated string");
            }
            char c = src.charAt(pos);
            advance();
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= src.length()) {
                throw new DtsException(at, "unterminated string");
            }
            sb.append(escape(here()));
        }
    }

    /** dtc's get_escape_char: C escapes, octal up to three digits, hex up to two. */
    private char escape(Location at) throws DtsException {
        char c = src.charAt(pos);
        advance();
        switch (c) {
            case 'a': return 0x07;
            case 'b': return '\b';
            case 't': return '\t';
            case 'n': return '\n';
            case 'v': return 0x0b;
            case 'f': return '\f';
            case 'r': return '\r';
            case 'x': return (char) digits(at, 16, 2);
            default:
                if (c >= '0' && c <= '7') {
                    pos--;
                    col--;
                    return (char) digits(at, 8, 3);
                }
                return c;
        }
    }

    private int digits(Location at, int radix, int max) throws DtsException {
        int value = 0;
        int n = 0;
        while (n < max && pos < src.length() && Character.digit(src.charAt(pos), radix) >= 0) {
            value = value * radix + Character.digit(src.charAt(pos), radix);
            advance();
            n++;
        }
        if (n == 0) {
            throw new DtsException(at, "bad escape sequence in string");
        }
        return value & 0xff;
    }

    private void skipBlanksAndComments() throws DtsException {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (Character.isWhitespace(c)) {
                advance();
            } else if (src.startsWith("//", pos)) {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    advance();
                }
            } else if (src.startsWith("/*", pos)) {
                Location at = here();
                int end = src.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw new DtsException(at, "unterminated comment");
                }
                while (pos < end + 2) {
                    advance();
                }
            } else {
                return;
            }
        }
    }

    private void advance() {
        if (src.charAt(pos++) == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }

    private Location here() {
        return new Location(file, line, col);
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }
}
