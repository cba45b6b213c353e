package dev.dmatrace.analyzer.render.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

/** Escaping and template filling: what keeps a recording's strings from becoming markup or script. */
class HtmlTest {
    @Test
    void json_cannotCloseItsScriptElement_andParsesBackToTheSameText() throws Exception {
        String evil = "</script><script>alert(1)</script>&\u2028";
        String json = Html.json(Map.of("dev", evil));
        assertThat(json).doesNotContain("<", ">", "&", "\u2028");
        assertThat(new ObjectMapper().readTree(json).path("dev").asText()).isEqualTo(evil);
    }

    @Test
    void escape_coversTextAndQuotedAttributes() {
        assertThat(Html.escape("<a href=\"x\" title='y'>&</a>"))
                .isEqualTo("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
    }

    @Test
    void fill_isOnePass_soAValueIsNeverFilledAgain() {
        assertThat(Html.fill("<h1>{{title}}</h1><script>{{data}}</script>", "title", "{{data}}", "data", "1"))
                .isEqualTo("<h1>{{data}}</h1><script>1</script>");
        assertThatThrownBy(() -> Html.fill("{{missing}}")).hasMessageContaining("{{missing}}");
    }
}
