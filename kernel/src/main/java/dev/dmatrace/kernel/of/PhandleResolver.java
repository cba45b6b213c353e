package dev.dmatrace.kernel.of;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fills in value references once every node and label exists. Literal {@code phandle} properties are taken first;
 * a referenced node without one gets the lowest unused number on its first reference in tree order, as dtc does.
 */
final class PhandleResolver {

    private final DeviceNode root;
    private final Map<String, DeviceNode> labels;
    private final Map<Property, List<Object>> pending;
    private final Map<Integer, DeviceNode> byPhandle = new HashMap<>();
    private int nextPhandle = 1;

    PhandleResolver(DeviceNode root, Map<String, DeviceNode> labels, Map<Property, List<Object>> pending) {
        this.root = root;
        this.labels = labels;
        this.pending = pending;
    }

    Map<Integer, DeviceNode> resolve() throws DtsException {
        resolveExplicit(root);
        resolveRefs(root);
        return byPhandle;
    }

    /** Literal {@code phandle = <N>;} properties first, so assigned numbers avoid them, as in dtc. */
    private void resolveExplicit(DeviceNode n) {
        for (String name : List.of("phandle", "linux,phandle")) {
            Property p = n.property(name).orElse(null);
            if (p != null && pending.containsKey(p) && pending.get(p).stream().allMatch(o -> o instanceof byte[])) {
                p.setValue(concat(pending.remove(p)));
                if (p.length() == 4 && p.cell(0) != 0) {
                    byPhandle.putIfAbsent((int) p.cell(0), n);
                }
            }
        }
        for (DeviceNode c : n.children()) {
            resolveExplicit(c);
        }
    }

    private void resolveRefs(DeviceNode n) throws DtsException {
        for (Property p : List.copyOf(n.properties())) {
            List<Object> parts = pending.remove(p);
            if (parts == null) {
                continue;
            }
            List<Object> resolved = new ArrayList<>();
            for (Object o : parts) {
                resolved.add(o instanceof ValueRef r ? refBytes(r) : o);
            }
            p.setValue(concat(resolved));
        }
        for (DeviceNode c : List.copyOf(n.children())) {
            resolveRefs(c);
        }
    }

    private byte[] refBytes(ValueRef r) throws DtsException {
        DeviceNode target = r.label() != null ? labels.get(r.label()) : byPathOrNull(r.path());
        if (target == null) {
            throw new DtsException(r.at(), "reference to non-existent node or " + r.describe());
        }
        if (r.asPath()) {
            return (target.path() + "\0").getBytes(StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DtsParser.putCell(out, phandleOf(target) & 0xffffffffL);
        return out.toByteArray();
    }

    private int phandleOf(DeviceNode target) {
        if (target.phandle() != 0) {
            return target.phandle();
        }
        while (byPhandle.containsKey(nextPhandle)) {
            nextPhandle++;
        }
        int ph = nextPhandle;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DtsParser.putCell(out, ph);
        target.putProperty(new Property("phandle", out.toByteArray(), target.location()));
        byPhandle.put(ph, target);
        return ph;
    }

    private DeviceNode byPathOrNull(String path) {
        DeviceNode n = root;
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                n = n.child(part).orElse(null);
                if (n == null) {
                    return null;
                }
            }
        }
        return n;
    }

    private byte[] concat(List<Object> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object o : parts) {
            out.writeBytes((byte[]) o);
        }
        return out.toByteArray();
    }
}
