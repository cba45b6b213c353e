package dev.dmatrace.agent;

import java.util.List;
import java.util.function.Consumer;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.pool.TypePool;

/** At start, one warning line per probe that names a class or method the class path does not have. */
final class ProbeCheck {

    private ProbeCheck() {
    }

    static void warnUnmatched(List<Probe> probes, Consumer<String> warn) {
        if (probes.isEmpty()) {
            return;
        }
        TypePool pool = TypePool.Default.ofSystemLoader();
        for (Probe p : probes) {
            TypePool.Resolution r = pool.describe(p.className());
            if (!r.isResolved()) {
                warn.accept("probe " + p.source() + " matches nothing: class " + p.className() + " is not on the class path");
            } else if (r.resolve().getDeclaredMethods().stream().map(MethodDescription::getName).noneMatch(p.methodName()::equals)) {
                warn.accept("probe " + p.source() + " matches nothing: " + p.className() + " has no method " + p.methodName());
            }
        }
    }
}
