package dev.dmatrace.kernel.of;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code __reservedmem_of_table}: the init functions {@code RESERVEDMEM_OF_DECLARE} registers, in link order.
 * {@code __reserved_mem_init_node} walks it and calls each entry whose compatible the node matches.
 */
public final class ReservedMemOfTable {

    /** {@code reservedmem_of_init_fn}: 0 when it claimed the region, else a negative errno. */
    @FunctionalInterface
    public interface InitFn {
        int init(ReservedMem rmem);
    }

    public record Entry(String name, String compatible, InitFn init) {
    }

    private final List<Entry> entries = new ArrayList<>();

    /** {@code RESERVEDMEM_OF_DECLARE(name, compat, init)}. */
    public ReservedMemOfTable declare(String name, String compatible, InitFn init) {
        entries.add(new Entry(name, compatible, init));
        return this;
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }
}
