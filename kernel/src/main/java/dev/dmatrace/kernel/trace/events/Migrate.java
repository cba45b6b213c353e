package dev.dmatrace.kernel.trace.events;

import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.trace.TraceEvent;
import dev.dmatrace.kernel.trace.Tracing;

/**
 * include/trace/events/migrate.h: {@code mm_migrate_pages} once per migrate_pages() call ([4.4] without the THP
 * fields), and [6.1] {@code mm_migrate_pages_start}. Mode and reason print through the header's symbol tables.
 */
public final class Migrate {

    private final KernelProfile profile;
    private final TraceEvent mmMigratePages;
    private final TraceEvent mmMigratePagesStart;

    public Migrate(Tracing tracing) {
        this.profile = tracing.profile();
        mmMigratePages = tracing.register("migrate", "mm_migrate_pages");
        mmMigratePagesStart = profile.atLeast(KernelProfile.V6_1)
                ? tracing.register("migrate", "mm_migrate_pages_start") : null;
    }

    @KernelFunction(symbol = "trace_mm_migrate_pages", file = "include/trace/events/migrate.h")
    public void traceMmMigratePages(long succeeded, long failed, long thpSucceeded, long thpFailed, long thpSplit,
            String mode, String reason) {
        if (!mmMigratePages.enabled) {
            return;
        }
        String thp = profile.atLeast(KernelProfile.V5_10) ? " nr_thp_succeeded=" + thpSucceeded + " nr_thp_failed="
                + thpFailed + " nr_thp_split=" + thpSplit : "";
        mmMigratePages.emit(false, "nr_succeeded=" + succeeded + " nr_failed=" + failed + thp + " mode=" + mode
                + " reason=" + reason);
    }

    @KernelFunction(symbol = "trace_mm_migrate_pages_start", file = "include/trace/events/migrate.h",
            versions = {"6.1"})
    public void traceMmMigratePagesStart(String mode, String reason) {
        if (!mmMigratePagesStart.enabled) {
            return;
        }
        mmMigratePagesStart.emit(false, "mode=" + mode + " reason=" + reason);
    }
}
