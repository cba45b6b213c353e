package dev.dmatrace.agent;

import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;

/** Packages the agent never transforms: the JDK (JFR reentrancy, see design pitfalls), Byte Buddy, itself. */
final class Ignores {

    static final List<String> PREFIXES = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.", "net.bytebuddy.",
            "dev.dmatrace.agent.");

    private Ignores() {
    }

    static ElementMatcher.Junction<TypeDescription> matcher() {
        ElementMatcher.Junction<TypeDescription> m = ElementMatchers.none();
        for (String p : PREFIXES) {
            m = m.or(ElementMatchers.nameStartsWith(p));
        }
        return m.or(ElementMatchers.isSynthetic());
    }
}
