package dev.dmatrace.kernel.of;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed board description: the root node, the {@code /memreserve/} entries, labels and phandles. Built by
 * {@link #parse(String, String)}; lookups follow {@code of_find_node_by_path} and {@code of_find_node_by_phandle}.
 */
public final class DeviceTree {

    private final String source;
    private final DeviceNode root;
    private final List<Reg> memreserve;
    private final Map<String, DeviceNode> labels;
    private final Map<Integer, DeviceNode> phandles;

    DeviceTree(String source, DeviceNode root, List<Reg> memreserve, Map<String, DeviceNode> labels,
               Map<Integer, DeviceNode> phandles) {
        this.source = source;
        this.root = root;
        this.memreserve = List.copyOf(memreserve);
        this.labels = Collections.unmodifiableMap(labels);
        this.phandles = Collections.unmodifiableMap(phandles);
    }

    /** Parses devicetree source; {@code file} names it in error messages. */
    public static DeviceTree parse(String file, String source) throws DtsException {
        return new DtsParser(file, DtsLexer.tokenize(file, source)).parse();
    }

    public static DeviceTree parse(Path file) throws IOException, DtsException {
        return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    public String source() {
        return source;
    }

    public DeviceNode root() {
        return root;
    }

    /** The header's {@code /memreserve/ base size;} entries in source order. */
    public List<Reg> memreserve() {
        return memreserve;
    }

    /** A node by absolute path of full names ({@code /reserved-memory/linux,cma}). */
    public Optional<DeviceNode> byPath(String path) {
        if (!path.startsWith("/")) {
            return Optional.empty();
        }
        DeviceNode n = root;
        for (String part : path.substring(1).split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            Optional<DeviceNode> c = n.child(part);
            if (c.isEmpty()) {
                return Optional.empty();
            }
            n = c.get();
        }
        return Optional.of(n);
    }

    public Optional<DeviceNode> byLabel(String label) {
        return Optional.ofNullable(labels.get(label));
    }

    /** {@code of_find_node_by_phandle}. */
    public Optional<DeviceNode> byPhandle(int phandle) {
        return Optional.ofNullable(phandles.get(phandle));
    }
}
