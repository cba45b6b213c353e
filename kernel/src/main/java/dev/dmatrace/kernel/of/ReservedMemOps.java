package dev.dmatrace.kernel.of;

/** {@code struct reserved_mem_ops}: what binding a device to a region does, set by the region's init function. */
public interface ReservedMemOps {

    /** 0 or a negative errno. */
    int deviceInit(ReservedMem rmem, OfDevice dev);

    void deviceRelease(ReservedMem rmem, OfDevice dev);
}
