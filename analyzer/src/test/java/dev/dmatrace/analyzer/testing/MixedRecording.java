package dev.dmatrace.analyzer.testing;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One recording with every outcome the flame graph colours, from one thread so its trees are deterministic:
 * a CMA allocation after two busy ranges, a CMA allocation that falls back to the buddy allocator, one that fails
 * altogether, a device-pool allocation, a free, and a device whose name is markup.
 */
public final class MixedRecording {
    public static final String MARKUP_DEVICE = "<script>alert(1)</script>";

    private MixedRecording() {}

    public static Path write(Path file) throws IOException {
        try (TestRecording rec = new TestRecording()) {
            rec.schema(1, "test");
            Scenarios s = new Scenarios(rec);
            s.free("vpu", 1 << 20, s.cmaAlloc("vpu", 1 << 20, 2, 0x10000));
            s.cmaAlloc("vpu", 1 << 16, 0, 0x10200);
            s.cmaFailsThenBuddy("dsp", 4 << 20, 0, false, 0x2000);
            s.cmaFailsThenBuddy("dsp", 8 << 20, 1, true, -1);
            s.devicePool("gpu", 1 << 14, 0x3000);
            s.cmaAlloc(MARKUP_DEVICE, 1 << 12, 0, 0x10400);
            return rec.dump(file);
        }
    }
}
