package dev.dmatrace.kernel.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.cli.KernelMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A bad scenario file is one line on stderr naming the file, the line and the field, exit code 2, no stack trace. */
class ScenarioErrorsTest {

    private static final String GOOD = """
            description: a camera
            board:
              profile: "6.1"
              cmdline: cma=64M
            devices:
              - name: cam
                coherent_dma_mask: 32
            workload:
              - alloc: {device: cam, size: 4M, label: a}
              - free: {label: a}
            """;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "missing field      | description: a camera|                                  | bad.yaml:2: description: missing",
        "wrong type         | coherent_dma_mask: 32|coherent_dma_mask: lots           | bad.yaml:7: devices[0].coherent_dma_mask: expected a number or a bit count like 32",
        "negative size      | size: 4M|size: -4M                                      | bad.yaml:9: workload[0].alloc.size: a size cannot be negative",
        "beyond RAM         | size: 4M|size: 8G                                       | bad.yaml:9: workload[0].alloc.size: 8G is more than the board's 1024 MiB of RAM",
        "unknown device     | {device: cam, size|{device: camera, size                | bad.yaml:9: workload[0].alloc.device: unknown device 'camera' (devices: cam)",
        "unknown key        | coherent_dma_mask: 32|coherent_dma_mask: 32\\n    colour: red | bad.yaml:8: devices[0].colour: unknown key (expected one of: name, coherent_dma_mask, dma_mask, coherent, memory_region)",
        "unknown label      | free: {label: a}|free: {label: b}                       | bad.yaml:10: workload[1].free.label: no earlier alloc has label 'b'",
        "unknown driver     | free: {label: a}|driver: {name: nope, device: cam, action: probe} | bad.yaml:10: workload[1].driver.name: unknown driver 'nope' (known: ",
        "memory-region      | coherent_dma_mask: 32|memory_region: dsp_pool           | bad.yaml:7: devices[0].memory_region: needs a devicetree (board.dts or board.dts_text) with a reserved-memory node",
        "unknown step       | free: {label: a}|frobnicate: {label: a}                 | bad.yaml:10: workload[1].frobnicate: unknown step 'frobnicate' (steps: ",
        "not YAML           | board:|board: [                                         | bad.yaml:",
        "pin at, no area    | free: {label: a}|pin: {at: [0x10, 0x11]}                | bad.yaml:10: workload[1].pin.at: page offsets need where: the CMA area they are offsets into",
        "pin at and count   | free: {label: a}|pin: {at: [0x10], count: 2, where: reserved} | bad.yaml:10: workload[1].pin.count: expected 1, one pin per offset in at",
        "pin at beyond area | free: {label: a}|pin: {at: [0x100000], where: reserved} | bad.yaml:10: pin.at: offset 0x100000 is beyond CMA area reserved (16384 pages)",
    })
    void badFile_oneLine_fileLineField_exit2(String what, String from, String to, String expected) throws IOException {
        String text = GOOD.replace(from.strip(), to == null ? "" : to.strip().replace("\\n", "\n"));
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, text);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = KernelMain.run(new String[] {"sim", f.toString()}, new PrintWriter(out), new PrintWriter(err));
        assertThat(rc).as(err.toString()).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString().startsWith("dmatrace: " + expected.strip());
        assertThat(err.toString()).doesNotContain("Exception", "\tat ");
        assertThat(out.toString()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "unknown label in DTS | dsp_pool | bad.yaml:13: devices[0].memory_region: no reserved-memory node labelled 'gpu_pool' in the devicetree (labels: dsp_pool)",
    })
    void memoryRegion_mustNameAReservedMemoryNode(String what, String label, String expected) throws IOException {
        String text = """
                description: a dsp
                board:
                  dts_text: |
                    /dts-v1/;
                    / {
                        #address-cells = <2>;
                        #size-cells = <2>;
                        reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;
                            dsp_pool: dsp@48000000 { compatible = "shared-dma-pool"; no-map; reg = <0x0 0x48000000 0x0 0x100000>; }; };
                    };
                devices:
                  - name: dsp
                    memory_region: gpu_pool
                workload: []
                """;
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, text);
        StringWriter err = new StringWriter();
        int rc = KernelMain.run(new String[] {"sim", f.toString()}, new PrintWriter(new StringWriter()),
                new PrintWriter(err));
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().isEqualTo("dmatrace: " + expected.strip());
    }
}
