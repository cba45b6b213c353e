package dev.dmatrace.analyzer.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.dmatrace.analyzer.read.Hop;
import dev.dmatrace.analyzer.tree.CallTree;
import dev.dmatrace.analyzer.tree.TreeAssembler;

class FunctionGraphTest {
    private static Hop fn(long id, long parent, int depth, String symbol, long start, long duration) {
        return new Hop(id, parent, 1, depth, symbol, Hop.Kind.FN, 7, "kworker", start, duration, Map.of(), 0L,
                false);
    }

    private static Hop tp(long id, long parent, int depth, String event, long start, Map<String, Object> args) {
        return new Hop(id, parent, 1, depth, event, Hop.Kind.TP, 7, "kworker", start, 0, args, null, false);
    }

    @Test
    void durationColumn_followsTracePrintGraphDuration() {
        assertThat(FunctionGraph.duration(318)).isEqualTo("  0.318 us    |  ");
        assertThat(FunctionGraph.duration(310_041)).isEqualTo("! 310.041 us  |  ");
        assertThat(FunctionGraph.duration(12_345)).isEqualTo("+ 12.345 us   |  ");
        assertThat(FunctionGraph.duration(2_345_678)).isEqualTo("# 2345.678 us |  ");
        assertThat(FunctionGraph.duration(23_456_789)).isEqualTo("* 23456.78 us |  ");
        assertThat(FunctionGraph.duration(234_567_891)).isEqualTo("@ 234567.8 us |  ");
        assertThat(FunctionGraph.duration(2_345_678_912L)).isEqualTo("$ 2345678 us  |  ");
    }

    @Test
    void marks_areTraceFindMarkThresholds() {
        assertThat(FunctionGraph.mark(10_000)).isEqualTo(' ');
        assertThat(FunctionGraph.mark(10_001)).isEqualTo('+');
        assertThat(FunctionGraph.mark(100_001)).isEqualTo('!');
        assertThat(FunctionGraph.mark(1_000_001)).isEqualTo('#');
        assertThat(FunctionGraph.mark(10_000_001)).isEqualTo('*');
        assertThat(FunctionGraph.mark(100_000_001)).isEqualTo('@');
        assertThat(FunctionGraph.mark(1_000_000_001)).isEqualTo('$');
    }

    @Test
    void tree_isPrintedInFunctionGraphLayout_withTracepointComments() {
        Map<String, Object> start = new LinkedHashMap<>();
        start.put("name", "reserved");
        start.put("count", 256L);
        start.put("align", 8);
        List<CallTree> trees = new ArrayList<>();
        TreeAssembler a = new TreeAssembler(trees::add);
        a.accept(tp(2, 1, 1, "cma_alloc_start", 1_000, start));
        a.accept(fn(3, 1, 1, "bitmap_find_next_zero_area_off", 1_100, 318));
        a.accept(fn(5, 4, 2, "start_isolate_page_range", 2_100, 1_500));
        a.accept(fn(4, 1, 1, "alloc_contig_range", 2_000, 310_041));
        a.accept(fn(1, 0, 0, "cma_alloc", 900, 312_770));
        a.finish();

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        FunctionGraph g = new FunctionGraph(out);
        g.header();
        g.tree(trees.get(0));

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(""
                + "# tracer: function_graph\n"
                + "#\n"
                + "# CPU  DURATION                  FUNCTION CALLS\n"
                + "# |     |   |                     |   |   |   |\n"
                + " 0)               |  cma_alloc() {\n"
                + " 0)               |  /* cma_alloc_start: name=reserved count=256 align=8 */\n"
                + " 0)   0.318 us    |    bitmap_find_next_zero_area_off();\n"
                + " 0)               |    alloc_contig_range() {\n"
                + " 0)   1.500 us    |      start_isolate_page_range();\n"
                + " 0) ! 310.041 us  |    }\n"
                + " 0) ! 312.770 us  |  }\n");
    }
}
