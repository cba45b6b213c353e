package dev.dmatrace.analyzer.render.flame;

import dev.dmatrace.analyzer.render.html.Html;

/** diff.html: the flame graph of the second recording coloured by how each frame changed since the first. */
public final class DiffHtml {
    private DiffHtml() {}

    public static String page(String title, Frame before, Frame after) {
        return Html.fill(Html.resource("flame.html"),
                "title", Html.escape(title),
                "css", Html.resource("flame.css"),
                "script", Html.resource("flame.js"),
                "data", Html.json(FlameData.diff(title, before, after)));
    }
}
