package dev.dmatrace.kernel.sim;

/**
 * One line of the operation table: who (cpu, task), on what device, which call and buffer, what the kernel did
 * (where the memory came from, the DMA address, pages migrated, busy retries), when on the simulated clock and for
 * how long, and the result; {@code unexpected} when the scenario expected otherwise.
 */
record Row(int seq, int cpu, String task, String device, String op, String buffer, long size, String gfp,
        String from, String dma, long migrated, long retries, long startNs, long tookNs, String result,
        boolean unexpected) {
}
