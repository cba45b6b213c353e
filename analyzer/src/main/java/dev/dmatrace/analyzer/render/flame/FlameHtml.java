package dev.dmatrace.analyzer.render.flame;

import dev.dmatrace.analyzer.render.html.Html;

/**
 * The interactive flame graph as one self-contained page (async-profiler's flame.html approach): a canvas drawn
 * by an inline script from inline data, nothing fetched.
 */
public final class FlameHtml {
    private FlameHtml() {}

    public static String page(String title, Frame root) {
        return Html.fill(Html.resource("flame.html"),
                "title", Html.escape(title),
                "css", Html.resource("flame.css"),
                "script", Html.resource("flame.js"),
                "data", Html.json(FlameData.of(title, root)));
    }
}
