/**
 * The board description front end of the boot path: drivers/of for a devicetree written as source.
 *
 * <ul>
 *   <li>{@link dev.dmatrace.kernel.of.DeviceTree#parse(String, String)} reads DTS into
 *       {@link dev.dmatrace.kernel.of.DeviceNode}s and {@link dev.dmatrace.kernel.of.Property}s; every error is a
 *       {@link dev.dmatrace.kernel.of.DtsException} reading {@code FILE:LINE:COL: message}.</li>
 *   <li>{@link dev.dmatrace.kernel.of.OfBoot#run} does what an arch's early setup does with it: memory nodes into
 *       memblock ({@link dev.dmatrace.kernel.of.FdtMemory}), then {@code early_init_fdt_scan_reserved_mem}
 *       ({@link dev.dmatrace.kernel.of.FdtReservedMem}, {@link dev.dmatrace.kernel.of.OfReservedMem}) with the
 *       {@code shared-dma-pool} init functions ({@link dev.dmatrace.kernel.of.SharedDmaPool}).</li>
 *   <li>{@link dev.dmatrace.kernel.of.OfReservedMem#deviceInitByIdx} binds a device to its
 *       {@code memory-region}.</li>
 * </ul>
 *
 * <p>Version and architecture differences come from {@link dev.dmatrace.kernel.of.OfProfile}; kernel messages go to
 * a {@link dev.dmatrace.kernel.of.BootLog}.
 */
package dev.dmatrace.kernel.of;
