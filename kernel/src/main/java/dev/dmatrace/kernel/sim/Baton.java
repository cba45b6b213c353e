package dev.dmatrace.kernel.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The seeded scheduler of a parallel step: real threads, one of which runs at a time. The runner passes the baton
 * at every DMA API call; who gets it next is drawn from the seed, so the interleaving is the same on every run and
 * no thread ever sleeps to keep an order.
 */
final class Baton {

    private final Random random;
    private final List<Integer> live = new ArrayList<>();
    private int holder = -1;

    Baton(Random random, int threads) {
        this.random = random;
        for (int i = 0; i < threads; i++) {
            live.add(i);
        }
    }

    /** Hands the baton to the first thread. */
    synchronized void begin() {
        holder = pick();
        notifyAll();
    }

    /** Blocks until thread {@code me} holds the baton. */
    synchronized void await(int me) throws InterruptedException {
        while (holder != me) {
            wait();
        }
    }

    /** A call boundary: the next holder is drawn (maybe {@code me} again), then {@code me} waits for its turn. */
    synchronized void pass(int me) throws InterruptedException {
        holder = pick();
        notifyAll();
        await(me);
    }

    /** Thread {@code me} is done; the baton goes on among the others. */
    synchronized void finish(int me) {
        live.remove(Integer.valueOf(me));
        if (holder == me) {
            holder = live.isEmpty() ? -1 : pick();
        }
        notifyAll();
    }

    private int pick() {
        return live.get(random.nextInt(live.size()));
    }
}
