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

    /** cma_alloc → start_isolate_page_range → …, and → __alloc_contig_migrate_range → … → the focus hop. */
    private static CallTree twoBranches() {
        List<CallTree> trees = new ArrayList<>();
        TreeAssembler a = new TreeAssembler(trees::add);
        a.accept(fn(4, 3, 3, "has_unmovable_pages", 30, 1_000));
        a.accept(fn(3, 2, 2, "set_migratetype_isolate", 20, 5_000));
        a.accept(fn(2, 1, 1, "start_isolate_page_range", 10, 20_000));
        a.accept(fn(8, 7, 4, "move_to_new_page", 33_000, 10_000));
        a.accept(fn(7, 6, 3, "unmap_and_move", 32_000, 30_000));
        a.accept(fn(6, 5, 2, "migrate_pages", 31_000, 40_000));
        a.accept(fn(5, 1, 1, "__alloc_contig_migrate_range", 30_000, 50_000));
        a.accept(fn(1, 0, 0, "cma_alloc", 0, 100_000));
        a.finish();
        return trees.get(0);
    }

    private static String focused(CallTree t, int lines, boolean[] folded) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        folded[0] = new FunctionGraph(out, true).focusedTree(t, List.of(7L), lines);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void focusedTree_opensTheWayToTheFocusHop_andFoldsWhatDoesNotFit() {
        boolean[] folded = {false};
        assertThat(focused(twoBranches(), 10, folded)).isEqualTo(""
                + " 0)               |  cma_alloc() {\n"
                + " 0) + 20.000 us   |    start_isolate_page_range();\n"
                + " 0)               |    __alloc_contig_migrate_range() {\n"
                + " 0)               |      migrate_pages() {\n"
                + " 0)               |        unmap_and_move() {\n"
                + " 0)   10.000 us   |          move_to_new_page();\n"
                + " 0) + 30.000 us   |        }\n"
                + " 0) + 40.000 us   |      }\n"
                + " 0) + 50.000 us   |    }\n"
                + " 0) + 100.000 us  |  }\n");
        assertThat(folded[0]).isTrue();
    }

    @Test
    void focusedTree_withRoomForEverything_printsTheWholeTree() {
        boolean[] folded = {true};
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        new FunctionGraph(new PrintStream(whole, true, StandardCharsets.UTF_8), true).tree(twoBranches());

        assertThat(focused(twoBranches(), 100, folded)).isEqualTo(whole.toString(StandardCharsets.UTF_8))
                .contains("      has_unmovable_pages();");
        assertThat(folded[0]).isFalse();
    }
}
