package dev.dmatrace.kernel.drivers.models;

/**
 * A driver from seed 003 as a scenario runs it: {@link #probe} allocates what the real driver's probe allocates,
 * {@link #io} is one unit of its I/O (a packet sent, an RX buffer refilled), {@link #remove} gives back what probe
 * took. Return values follow the kernel: 0 or a negative errno.
 */
public interface DriverModel {

    int probe(DriverEnv env);

    int io(DriverEnv env);

    void remove(DriverEnv env);
}
