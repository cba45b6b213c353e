package dev.dmatrace.kernel.of;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A devicetree node ({@code struct device_node}): its full name ({@code name@unit-address}), labels, properties
 * in source order and children. Typed accessors follow the kernel's {@code of_*} helpers.
 */
public final class DeviceNode {

    /** {@code OF_ROOT_NODE_ADDR_CELLS_DEFAULT} and {@code OF_ROOT_NODE_SIZE_CELLS_DEFAULT} (include/linux/of.h). */
    public static final int ROOT_ADDR_CELLS_DEFAULT = 1;
    public static final int ROOT_SIZE_CELLS_DEFAULT = 1;

    private final String name;
    private final DeviceNode parent;
    private final Location at;
    private final List<String> labels = new ArrayList<>();
    private final Map<String, Property> properties = new LinkedHashMap<>();
    private final Map<String, DeviceNode> children = new LinkedHashMap<>();

    DeviceNode(String name, DeviceNode parent, Location at) {
        this.name = name;
        this.parent = parent;
        this.at = at;
    }

    /** The full node name with its unit address, {@code ""} for the root. */
    public String fullName() {
        return name;
    }

    /** The name without the unit address ({@code of_node_name_eq}'s view). */
    public String name() {
        int at = name.indexOf('@');
        return at < 0 ? name : name.substring(0, at);
    }

    /** The unit address after {@code @}, or {@code null}. */
    public String unitAddress() {
        int at = name.indexOf('@');
        return at < 0 ? null : name.substring(at + 1);
    }

    public String path() {
        if (parent == null) {
            return "/";
        }
        return parent.parent == null ? "/" + name : parent.path() + "/" + name;
    }

    public DeviceNode parent() {
        return parent;
    }

    public Location location() {
        return at;
    }

    public List<String> labels() {
        return Collections.unmodifiableList(labels);
    }

    public Collection<DeviceNode> children() {
        return Collections.unmodifiableCollection(children.values());
    }

    public Optional<DeviceNode> child(String fullName) {
        return Optional.ofNullable(children.get(fullName));
    }

    public Collection<Property> properties() {
        return Collections.unmodifiableCollection(properties.values());
    }

    public Optional<Property> property(String propName) {
        return Optional.ofNullable(properties.get(propName));
    }

    public boolean hasProperty(String propName) {
        return properties.containsKey(propName);
    }

    /** The {@code phandle} (or legacy {@code linux,phandle}) value, 0 when the node has none. */
    public int phandle() {
        Property p = properties.getOrDefault("phandle", properties.get("linux,phandle"));
        return p == null || p.length() < 4 ? 0 : (int) p.cell(0);
    }

    /** {@code status}: {@code "okay"} when absent. */
    public String status() {
        Property p = properties.get("status");
        return p == null ? "okay" : p.string();
    }

    /** {@code of_device_is_available}: no status, or {@code "okay"} / {@code "ok"}. */
    public boolean isAvailable() {
        String s = status();
        return "okay".equals(s) || "ok".equals(s);
    }

    public List<String> compatible() {
        Property p = properties.get("compatible");
        return p == null ? List.of() : p.strings();
    }

    /** {@code of_device_is_compatible}: one of the strings matches, ignoring case ({@code of_compat_cmp}). */
    public boolean isCompatible(String compat) {
        return compatible().stream().anyMatch(c -> c.equalsIgnoreCase(compat));
    }

    /** {@code of_n_addr_cells}: the nearest ancestor's {@code #address-cells}, else the root default. */
    public int addressCells() {
        return inheritedCells("#address-cells", ROOT_ADDR_CELLS_DEFAULT);
    }

    /** {@code of_n_size_cells}: the nearest ancestor's {@code #size-cells}, else the root default. */
    public int sizeCells() {
        return inheritedCells("#size-cells", ROOT_SIZE_CELLS_DEFAULT);
    }

    private int inheritedCells(String prop, int dflt) {
        for (DeviceNode n = parent == null ? this : parent; n != null; n = n.parent) {
            Property p = n.properties.get(prop);
            if (p != null && p.length() >= 4) {
                return (int) p.cell(0);
            }
        }
        return dflt;
    }

    /** {@code reg} decoded with the parent's cell counts; empty when absent. */
    public List<Reg> reg() throws DtsException {
        Property p = properties.get("reg");
        return p == null ? List.of() : pairs(p, addressCells(), sizeCells());
    }

    /** Splits a property into (address, size) pairs of the given cell counts, or says where it does not fit. */
    public List<Reg> pairs(Property p, int addrCells, int sizeCells) throws DtsException {
        int per = (addrCells + sizeCells) * 4;
        if (per == 0 || p.length() % per != 0) {
            throw new DtsException(p.location(), String.format(
                    "%s in %s is %d cells, not a multiple of #address-cells (%d) + #size-cells (%d)",
                    p.name(), path(), p.length() / 4, addrCells, sizeCells));
        }
        List<Reg> out = new ArrayList<>();
        for (int cell = 0; cell < p.cellCount(); cell += addrCells + sizeCells) {
            out.add(new Reg(p.readNumber(cell, addrCells), p.readNumber(cell + addrCells, sizeCells)));
        }
        return out;
    }

    void addLabel(String label) {
        if (!labels.contains(label)) {
            labels.add(label);
        }
    }

    void removeLabels() {
        labels.clear();
    }

    void putProperty(Property p) {
        properties.put(p.name(), p);
    }

    void removeProperty(String propName) {
        properties.remove(propName);
    }

    DeviceNode childOrCreate(String fullName, Location where) {
        return children.computeIfAbsent(fullName, n -> new DeviceNode(n, this, where));
    }

    void removeChild(String fullName) {
        children.remove(fullName);
    }

    @Override
    public String toString() {
        return path();
    }
}
