package dev.dmatrace.kernel.of;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recursive-descent parser for the devicetree source subset boards use for memory and devices. Node references
 * ({@code &label { }}) extend nodes as dtc does; phandle references are resolved once the whole file is read and
 * phandles are assigned like dtc assigns them (lowest unused number, in tree order of first reference).
 */
final class DtsParser {

    /** Deeper nesting is never a board description; the limit keeps hostile input from exhausting the stack. */
    private static final int MAX_DEPTH = 128;

    private final String file;
    private final List<Token> tokens;
    private int pos;
    private final DeviceNode root;
    private final List<Reg> memreserve = new ArrayList<>();
    private final Map<String, DeviceNode> labels = new HashMap<>();
    private final Map<Property, List<Object>> pending = new IdentityHashMap<>();

    DtsParser(String file, List<Token> tokens) {
        this.file = file;
        this.tokens = tokens;
        this.root = new DeviceNode("", null, tokens.get(0).at());
    }

    DeviceTree parse() throws DtsException {
        while (peek().kind() != Token.Kind.EOF) {
            topLevel();
        }
        Map<Integer, DeviceNode> phandles = new PhandleResolver(root, labels, pending).resolve();
        return new DeviceTree(file, root, memreserve, labels, phandles);
    }

    private void topLevel() throws DtsException {
        Token t = next();
        switch (t.kind()) {
            case DIRECTIVE -> directive(t);
            case REF -> {
                DeviceNode n = labels.get(t.text());
                if (n == null) {
                    throw new DtsException(t.at(), "label '" + t.text() + "' not found");
                }
                nodeBody(n, 1);
            }
            case PATH_REF -> nodeBody(nodeAtPath(t), 1);
            case PUNCT -> {
                if (!t.is("/")) {
                    throw unexpected(t, "'/', '&label' or a directive");
                }
                nodeBody(root, 1);
            }
            case WORD -> {
                if (t.text().startsWith("#")) {
                    throw new DtsException(t.at(), "preprocessor directive '" + t.text()
                            + "' is not supported; run the C preprocessor first");
                }
                throw unexpected(t, "'/', '&label' or a directive");
            }
            default -> throw unexpected(t, "'/', '&label' or a directive");
        }
    }

    private void directive(Token t) throws DtsException {
        switch (t.text()) {
            case "/dts-v1/" -> expectSemicolon(t);
            case "/memreserve/" -> {
                long base = number(next(), "number");
                long size = number(next(), "number");
                memreserve.add(new Reg(base, size));
                expectSemicolon(t);
            }
            case "/delete-node/" -> {
                Token ref = next();
                DeviceNode n = switch (ref.kind()) {
                    case REF -> labels.get(ref.text());
                    case PATH_REF -> nodeAtPath(ref);
                    default -> throw unexpected(ref, "'&label' after /delete-node/");
                };
                if (n == null) {
                    throw new DtsException(ref.at(), "label '" + ref.text() + "' not found");
                }
                deleteNode(n);
                expectSemicolon(t);
            }
            case "/include/" -> throw new DtsException(t.at(), "/include/ is not supported; give one flattened source");
            case "/plugin/" -> throw new DtsException(t.at(), "overlays (/plugin/) are not supported");
            default -> throw new DtsException(t.at(), "unknown directive '" + t.text() + "'");
        }
    }

    private void nodeBody(DeviceNode node, int depth) throws DtsException {
        Token open = next();
        if (!open.is("{")) {
            throw unexpected(open, "'{'");
        }
        if (depth > MAX_DEPTH) {
            throw new DtsException(open.at(), "nodes nested deeper than " + MAX_DEPTH);
        }
        Set<String> propsHere = new HashSet<>();
        Set<String> childrenHere = new HashSet<>();
        while (true) {
            Token t = next();
            if (t.is("}")) {
                expectSemicolon(t);
                return;
            }
            if (t.kind() == Token.Kind.EOF) {
                throw new DtsException(open.at(), "unterminated node " + node.path() + ": '{' has no matching '}'");
            }
            if (t.kind() == Token.Kind.DIRECTIVE) {
                deleteInBody(node, t);
                continue;
            }
            List<Token> nodeLabels = new ArrayList<>();
            while (t.kind() == Token.Kind.WORD && peek().is(":")) {
                nodeLabels.add(checkLabel(t));
                next();
                t = next();
            }
            if (t.kind() != Token.Kind.WORD) {
                throw unexpected(t, "a property or node name");
            }
            if (peek().is("{")) {
                if (!childrenHere.add(t.text())) {
                    throw new DtsException(t.at(), "duplicate node name '" + t.text() + "' in " + node.path());
                }
                DeviceNode child = node.childOrCreate(t.text(), t.at());
                for (Token l : nodeLabels) {
                    addLabel(l, child);
                }
                nodeBody(child, depth + 1);
            } else {
                if (!nodeLabels.isEmpty()) {
                    throw new DtsException(nodeLabels.get(0).at(), "labels on properties are not supported");
                }
                if (!propsHere.add(t.text())) {
                    throw new DtsException(t.at(), "duplicate property '" + t.text() + "' in " + node.path());
                }
                property(node, t);
            }
        }
    }

    private void deleteInBody(DeviceNode node, Token t) throws DtsException {
        Token name = next();
        if (name.kind() != Token.Kind.WORD) {
            throw unexpected(name, "a name after " + t.text());
        }
        switch (t.text()) {
            case "/delete-property/" -> node.removeProperty(name.text());
            case "/delete-node/" -> {
                DeviceNode child = node.child(name.text()).orElse(null);
                if (child != null) {
                    deleteNode(child);
                }
            }
            default -> throw new DtsException(t.at(), "directive " + t.text() + " is not allowed inside a node");
        }
        expectSemicolon(name);
    }

    private void deleteNode(DeviceNode n) throws DtsException {
        if (n.parent() == null) {
            throw new DtsException(n.location(), "the root node cannot be deleted");
        }
        forgetLabels(n);
        n.parent().removeChild(n.fullName());
    }

    private void forgetLabels(DeviceNode n) {
        labels.values().removeIf(target -> target == n);
        n.removeLabels();
        for (DeviceNode c : n.children()) {
            forgetLabels(c);
        }
    }

    private void property(DeviceNode node, Token name) throws DtsException {
        Token t = next();
        if (t.is(";")) {
            node.putProperty(new Property(name.text(), new byte[0], name.at()));
            return;
        }
        if (!t.is("=")) {
            throw new DtsException(t.at(), "missing ';' after property '" + name.text() + "', found " + t.describe());
        }
        List<Object> parts = new ArrayList<>();
        do {
            value(parts);
            t = next();
        } while (t.is(","));
        if (!t.is(";")) {
            throw new DtsException(t.at(), "missing ';' after property '" + name.text() + "', found " + t.describe());
        }
        Property p = new Property(name.text(), new byte[0], name.at());
        node.putProperty(p);
        pending.put(p, parts);
    }

    private void value(List<Object> parts) throws DtsException {
        Token t = next();
        switch (t.kind()) {
            case STRING -> parts.add((t.text() + "\0").getBytes(StandardCharsets.UTF_8));
            case REF -> parts.add(new ValueRef(t.text(), null, true, t.at()));
            case PATH_REF -> parts.add(new ValueRef(null, t.text(), true, t.at()));
            case PUNCT -> {
                if (t.is("<")) {
                    cells(t, parts);
                } else if (t.is("[")) {
                    parts.add(byteString(t));
                } else {
                    throw unexpected(t, "a property value");
                }
            }
            case DIRECTIVE -> throw new DtsException(t.at(), t.text() + " is not supported in property values");
            default -> throw unexpected(t, "a property value");
        }
    }

    private void cells(Token open, List<Object> parts) throws DtsException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            Token t = next();
            if (t.is(">")) {
                parts.add(out.toByteArray());
                return;
            }
            switch (t.kind()) {
                case WORD -> {
                    long v = number(t, "cell");
                    if (v > 0xffffffffL) {
                        throw new DtsException(t.at(), "cell value " + t.text() + " does not fit in 32 bits");
                    }
                    putCell(out, v);
                }
                case REF, PATH_REF -> {
                    parts.add(out.toByteArray());
                    out.reset();
                    parts.add(new ValueRef(t.kind() == Token.Kind.REF ? t.text() : null,
                            t.kind() == Token.Kind.PATH_REF ? t.text() : null, false, t.at()));
                }
                case EOF -> throw new DtsException(open.at(), "unterminated cell list: '<' has no matching '>'");
                default -> {
                    if (t.is("(")) {
                        throw new DtsException(t.at(), "expressions in cells are not supported");
                    }
                    if (t.is(";") || t.is("}")) {
                        throw new DtsException(t.at(), "unterminated cell list: '<' at " + open.at()
                                + " has no matching '>'");
                    }
                    throw new DtsException(t.at(), "bad cell " + t.describe());
                }
            }
        }
    }

    private byte[] byteString(Token open) throws DtsException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            Token t = next();
            if (t.is("]")) {
                return out.toByteArray();
            }
            if (t.kind() == Token.Kind.EOF) {
                throw new DtsException(open.at(), "unterminated byte string: '[' has no matching ']'");
            }
            String s = t.text();
            boolean hexPairs = s.length() % 2 == 0 && s.chars().allMatch(c -> Character.digit(c, 16) >= 0);
            if (t.kind() != Token.Kind.WORD || !hexPairs) {
                throw new DtsException(t.at(), "bad byte string element " + t.describe()
                        + " (want pairs of hex digits)");
            }
            for (int i = 0; i < s.length(); i += 2) {
                out.write(Integer.parseInt(s.substring(i, i + 2), 16));
            }
        }
    }

    /** dtc's integer literals: strtoull base 0 (0x hex, leading-0 octal, decimal) with optional U/L suffixes. */
    private long number(Token t, String what) throws DtsException {
        if (t.kind() != Token.Kind.WORD) {
            throw unexpected(t, "a number");
        }
        String s = t.text().replaceFirst("(?i)(u|ul|ull|l|ll|lu|llu)$", "");
        try {
            if (s.matches("(?i)0x[0-9a-f]+")) {
                return Long.parseUnsignedLong(s.substring(2), 16);
            }
            if (s.matches("0[0-7]*")) {
                return Long.parseUnsignedLong(s, 8);
            }
            if (s.matches("[1-9][0-9]*")) {
                return Long.parseUnsignedLong(s, 10);
            }
        } catch (NumberFormatException e) {
            throw new DtsException(t.at(), "number " + t.text() + " does not fit in 64 bits");
        }
        throw new DtsException(t.at(), "bad " + what + " " + t.describe());
    }

    static void putCell(ByteArrayOutputStream out, long v) {
        out.write((int) (v >>> 24));
        out.write((int) (v >>> 16));
        out.write((int) (v >>> 8));
        out.write((int) v);
    }

    private Token checkLabel(Token t) throws DtsException {
        String s = t.text();
        boolean ok = !s.isEmpty() && (Character.isLetter(s.charAt(0)) || s.charAt(0) == '_')
                && s.chars().allMatch(c -> DtsLexer.isLabelChar((char) c));
        if (!ok) {
            throw new DtsException(t.at(), "bad label '" + s + "'");
        }
        return t;
    }

    private void addLabel(Token label, DeviceNode node) throws DtsException {
        DeviceNode old = labels.putIfAbsent(label.text(), node);
        if (old != null && old != node) {
            throw new DtsException(label.at(), "duplicate label '" + label.text() + "' on " + node.path()
                    + " and " + old.path());
        }
        node.addLabel(label.text());
    }

    private DeviceNode nodeAtPath(Token t) throws DtsException {
        DeviceNode n = root;
        for (String part : t.text().split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            n = n.child(part).orElse(null);
            if (n == null) {
                throw new DtsException(t.at(), "path '" + t.text() + "' not found");
            }
        }
        return n;
    }

    private void expectSemicolon(Token after) throws DtsException {
        Token t = next();
        if (!t.is(";")) {
            throw new DtsException(t.at(), "missing ';' after " + after.describe() + ", found " + t.describe());
        }
    }

    private DtsException unexpected(Token t, String wanted) {
        return new DtsException(t.at(), "expected " + wanted + ", found " + t.describe());
    }

    private Token next() {
        Token t = tokens.get(pos);
        if (t.kind() != Token.Kind.EOF) {
            pos++;
        }
        return t;
    }

    private Token peek() {
        return tokens.get(pos);
    }
}
