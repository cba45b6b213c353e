package dev.dmatrace.kernel.boot;

import dev.dmatrace.kernel.arch.arm.ArmDmaMapping;

/**
 * What a boot may change beyond the board, devicetree and command line: the build options, CONFIG_DMA_API_DEBUG,
 * and on 32-bit ARM the order of {@code __dma_alloc}'s decisions (4.1's order is selectable on a 4.4 kernel).
 */
public record BootOptions(Kconfig kconfig, boolean dmaApiDebug, ArmDmaMapping.Order armOrder) {

    /** The board's Kconfig defaults, no dma-debug, the version's ARM order. */
    public static BootOptions defaults(Board board) {
        return new BootOptions(Kconfig.defaults(board.arch(), board.profile()), false,
                ArmDmaMapping.defaultOrder(board.profile()));
    }

    public BootOptions withDmaApiDebug(boolean on) {
        return new BootOptions(kconfig, on, armOrder);
    }

    public BootOptions withArmOrder(ArmDmaMapping.Order order) {
        return new BootOptions(kconfig, dmaApiDebug, order);
    }

    public BootOptions withKconfig(Kconfig k) {
        return new BootOptions(k, dmaApiDebug, armOrder);
    }
}
