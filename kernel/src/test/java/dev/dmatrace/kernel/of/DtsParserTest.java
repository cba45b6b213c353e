package dev.dmatrace.kernel.of;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DtsParserTest {

    @Test
    void referenceBoard_parsesNodesPropertiesAndLabels() throws DtsException {
        DeviceTree dt = DtsTestFiles.parse("ref-a64.dts");

        assertThat(dt.root().property("model").orElseThrow().string()).isEqualTo("dmatrace reference board (arm64)");
        assertThat(dt.root().compatible()).containsExactly("dmatrace,ref-a64", "arm,foundation-aarch64");
        DeviceNode rmem = dt.byPath("/reserved-memory").orElseThrow();
        assertThat(rmem.children()).extracting(DeviceNode::fullName)
                .containsExactly("linux,cma", "vpu@78000000", "dsp@7c000000", "ramoops@7f000000", "isp@7e000000");
        DeviceNode cma = dt.byLabel("linux_cma").orElseThrow();
        assertThat(cma.path()).isEqualTo("/reserved-memory/linux,cma");
        assertThat(cma.property("reusable").orElseThrow().isEmpty()).isTrue();
        assertThat(cma.property("size").orElseThrow().u64()).isEqualTo(0x10000000L);
        assertThat(dt.memreserve()).containsExactly(new Reg(0x40000000L, 0x10000L));
    }

    @Test
    void reg_isDecodedWithTheParentsCellCounts() throws DtsException {
        DeviceTree dt = DtsTestFiles.parse("ref-a64.dts");
        DeviceNode memory = dt.byPath("/memory@40000000").orElseThrow();

        assertThat(memory.addressCells()).isEqualTo(2);
        assertThat(memory.reg()).containsExactly(new Reg(0x40000000L, 0x80000000L));
        assertThat(memory.name()).isEqualTo("memory");
        assertThat(memory.unitAddress()).isEqualTo("40000000");
    }

    @Test
    void phandles_areAssignedOnFirstReferenceInTreeOrder_likeDtc() throws DtsException {
        DeviceTree dt = DtsTestFiles.parse("ref-a64.dts");

        DeviceNode vpu = dt.byLabel("vpu_reserved").orElseThrow();
        DeviceNode pool = dt.byLabel("dsp_pool").orElseThrow();
        assertThat(vpu.phandle()).isEqualTo(1);
        assertThat(pool.phandle()).isEqualTo(2);
        assertThat(dt.byPhandle(2)).contains(pool);
        Property regions = dt.byLabel("dsp").orElseThrow().property("memory-region").orElseThrow();
        assertThat(List.of(regions.cell(0), regions.cell(1))).containsExactly(2L, 1L);
        assertThat(dt.byLabel("linux_cma").orElseThrow().phandle()).isZero();
    }

    @Test
    void stringsEscapesByteStringsAndLabelExtensions() throws DtsException {
        DeviceNode dsp = DtsTestFiles.parse("ref-a64.dts").byLabel("dsp").orElseThrow();

        assertThat(dsp.property("firmware-name").orElseThrow().string()).isEqualTo("dsp\tfw.bin");
        assertThat(dsp.property("mac-address").orElseThrow().bytes())
                .containsExactly(0x02, 0x00, 0x5e, 0x10, 0x00, 0x01);
        assertThat(dsp.property("memory-region-names").orElseThrow().strings()).containsExactly("pool", "cma");
        assertThat(dsp.status()).isEqualTo("okay");
        assertThat(dsp.isCompatible("DMATRACE,GENERIC-DSP")).isTrue();
    }

    @Test
    void explicitPhandles_areKeptAndAssignedOnesAvoidThem() throws DtsException {
        DeviceTree dt = DeviceTree.parse("t.dts", """
                /dts-v1/;
                / {
                    a: a { phandle = <1>; };
                    b: b { };
                    c { ref = <&b &a>; path = &b; };
                };
                """);

        Property ref = dt.byPath("/c").orElseThrow().property("ref").orElseThrow();
        assertThat(List.of(ref.cell(0), ref.cell(1))).containsExactly(2L, 1L);
        assertThat(dt.byPath("/c").orElseThrow().property("path").orElseThrow().string()).isEqualTo("/b");
    }

    @Test
    void deleteNodeAndDeleteProperty_removeWhatTheyName() throws DtsException {
        DeviceTree dt = DeviceTree.parse("t.dts", """
                /dts-v1/;
                / {
                    x: x { keep; drop; inner { }; };
                    y: y { };
                };
                &x { /delete-property/ drop; /delete-node/ inner; };
                /delete-node/ &y;
                """);

        DeviceNode x = dt.byPath("/x").orElseThrow();
        assertThat(x.hasProperty("keep")).isTrue();
        assertThat(x.hasProperty("drop")).isFalse();
        assertThat(x.children()).isEmpty();
        assertThat(dt.byPath("/y")).isEmpty();
        assertThat(dt.byLabel("y")).isEmpty();
    }

    @Test
    void rootRedefinition_mergesAndOverridesLikeDtc() throws DtsException {
        DeviceTree dt = DeviceTree.parse("t.dts", """
                /dts-v1/;
                / { n { a = <1>; b = "x"; }; };
                / { n { a = <2>; }; };
                """);

        DeviceNode n = dt.byPath("/n").orElseThrow();
        assertThat(n.property("a").orElseThrow().u32()).isEqualTo(2);
        assertThat(n.property("b").orElseThrow().string()).isEqualTo("x");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unterminated node        | /dts-v1/;\\n/ {\\n  a { x; };\\n                 | t.dts:2:3: unterminated node /: '{' has no matching '}'
            missing semicolon        | /dts-v1/;\\n/ {\\n  x = <1>\\n};\\n             | t.dts:4:1: missing ';' after property 'x', found '}'
            missing semicolon node   | /dts-v1/;\\n/ { a { } };\\n                      | t.dts:2:11: missing ';' after '}', found '}'
            bad cell                 | /dts-v1/;\\n/ { x = <0x10 zz>; };\\n             | t.dts:2:15: bad cell 'zz'
            cell too big             | /dts-v1/;\\n/ { x = <0x100000000>; };\\n         | t.dts:2:10: cell value 0x100000000 does not fit in 32 bits
            unterminated cells       | /dts-v1/;\\n/ { x = <1 2; };\\n                  | t.dts:2:13: unterminated cell list: '<' at t.dts:2:9 has no matching '>'
            expression               | /dts-v1/;\\n/ { x = <(1 + 2)>; };\\n             | t.dts:2:10: expressions in cells are not supported
            unknown phandle          | /dts-v1/;\\n/ { x = <&nope>; };\\n               | t.dts:2:10: reference to non-existent node or label 'nope'
            unknown extension label  | /dts-v1/;\\n/ { };\\n&nope { };\\n               | t.dts:3:1: label 'nope' not found
            duplicate label          | /dts-v1/;\\n/ { l: a { }; l: b { }; };\\n        | t.dts:2:15: duplicate label 'l' on /b and /a
            duplicate property       | /dts-v1/;\\n/ { x; x; };\\n                      | t.dts:2:8: duplicate property 'x' in /
            unterminated string      | /dts-v1/;\\n/ { s = "abc; };\\n                  | t.dts:2:9: unterminated string
            unterminated comment     | /dts-v1/;\\n/* no end\\n/ { };\\n                | t.dts:2:1: unterminated comment
            include                  | #include <dt-bindings/gpio/gpio.h>\\n            | t.dts:1:1: preprocessor directive '#include' is not supported; run the C preprocessor first
            dts include              | /include/ "soc.dtsi"\\n                          | t.dts:1:1: /include/ is not supported; give one flattened source
            odd byte string          | /dts-v1/;\\n/ { b = [0 11]; };\\n                | t.dts:2:10: bad byte string element '0' (want pairs of hex digits)
            stray character          | /dts-v1/;\\n/ { x = $; };\\n                     | t.dts:2:9: unexpected character '$'
            """)
    void malformedSource_isReportedWithFileLineAndColumn(String what, String source, String message) {
        assertThatThrownBy(() -> DeviceTree.parse("t.dts", source.replace("\\n", "\n")))
                .isInstanceOf(DtsException.class)
                .hasMessage(message);
    }

    @Test
    void regThatDoesNotFitTheCellCounts_namesThePropertyLocation() throws DtsException {
        DeviceTree dt = DeviceTree.parse("t.dts", """
                /dts-v1/;
                / {
                    #address-cells = <2>;
                    #size-cells = <2>;
                    m { reg = <0x0 0x40000000 0x1000>; };
                };
                """);

        assertThatThrownBy(() -> dt.byPath("/m").orElseThrow().reg())
                .isInstanceOf(DtsException.class)
                .hasMessage("t.dts:5:9: reg in /m is 3 cells, not a multiple of #address-cells (2) + #size-cells (2)");
    }
}
