package dev.dmatrace.kernel.drivers.models;

/**
 * A {@code struct sk_buff}'s linear data, as alloc_skb() lays it out: a head of SKB_DATA_ALIGN(size) bytes followed
 * by {@code struct skb_shared_info}, allocated together (kmalloc_reserve) — here a page block, see
 * {@link KernelBuffers}. {@code data} starts at the head and moves with skb_reserve().
 */
final class Skb {

    /** SMP_CACHE_BYTES. */
    static final long SMP_CACHE_BYTES = 64;
    /** sizeof(struct skb_shared_info) on a 64-bit kernel. */
    static final long SIZEOF_SKB_SHARED_INFO = 320;

    final long head;
    final long allocSize;
    long data;

    private Skb(long head, long allocSize) {
        this.head = head;
        this.allocSize = allocSize;
        this.data = head;
    }

    /** alloc_skb(size, gfp), or null. */
    static Skb alloc(DriverEnv env, long size, long gfp) {
        long allocSize = skbDataAlign(size) + skbDataAlign(SIZEOF_SKB_SHARED_INFO);
        long head = KernelBuffers.alloc(env, allocSize, gfp);
        return head == 0 ? null : new Skb(head, allocSize);
    }

    /** SKB_DATA_ALIGN(). */
    static long skbDataAlign(long x) {
        return (x + SMP_CACHE_BYTES - 1) & -SMP_CACHE_BYTES;
    }

    /** skb_reserve(skb, len). */
    void reserve(long len) {
        data += len;
    }

    /** kfree_skb() / dev_kfree_skb() of the last reference. */
    void free(DriverEnv env) {
        KernelBuffers.free(env, head, allocSize);
    }
}
