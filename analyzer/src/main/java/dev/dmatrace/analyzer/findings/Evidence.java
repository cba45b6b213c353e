package dev.dmatrace.analyzer.findings;

import java.util.List;

/**
 * What a finding points at, in the kernel's terms. Absent facts are null (or empty lists): {@code pfnRanges} are
 * half-open {@code [start, end)} in hex as the kernel prints them, {@code hopIds} the hops to look at first.
 */
public record Evidence(String device, Long size, String gfp, List<String> pfnRanges, Integer errno,
                       List<Long> hopIds) {

    public static Builder builder() {
        return new Builder();
    }

    /** Fills the evidence from whatever the detector has at hand. */
    public static final class Builder {
        private String device;
        private Long size;
        private String gfp;
        private final java.util.ArrayList<String> pfnRanges = new java.util.ArrayList<>();
        private Integer errno;
        private final java.util.ArrayList<Long> hopIds = new java.util.ArrayList<>();

        public Builder allocation(Allocation a) {
            if (a != null) {
                device = a.device();
                size = a.size() < 0 ? null : a.size();
                gfp = a.gfp();
                hopIds.add(a.hopId());
            }
            return this;
        }

        public Builder device(String d) {
            device = d;
            return this;
        }

        public Builder size(long s) {
            size = s;
            return this;
        }

        public Builder pfnRange(long start, long end) {
            // as String.format("[0x%x, 0x%x)", ...) would print it, without a Formatter per range
            pfnRanges.add("[0x" + Long.toHexString(start) + ", 0x" + Long.toHexString(end) + ")");
            return this;
        }

        public Builder errno(int e) {
            errno = e;
            return this;
        }

        public Builder hop(long id) {
            if (!hopIds.contains(id)) {
                hopIds.add(id);
            }
            return this;
        }

        public Evidence build() {
            return new Evidence(device, size, gfp, List.copyOf(pfnRanges), errno, List.copyOf(hopIds));
        }
    }
}
