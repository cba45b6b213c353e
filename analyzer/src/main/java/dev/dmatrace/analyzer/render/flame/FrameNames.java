package dev.dmatrace.analyzer.render.flame;

/** Frame names as every folded-stack reader needs them: no ';' (the separator) and no line breaks. */
final class FrameNames {
    private FrameNames() {}

    static String clean(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            b.append(c == ';' ? ':' : Character.isISOControl(c) ? '?' : c);
        }
        return b.toString();
    }
}
