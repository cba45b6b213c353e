package dev.dmatrace.kernel.of;

import dev.dmatrace.kernel.boot.Arch;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Whatever text arrives, the parser answers with a tree or a DtsException, and promptly. */
class DtsParserProperties {

    private static final String BOARD = DtsTestFiles.read("ref-a64.dts");
    private static final Duration LIMIT = Duration.ofSeconds(5);

    @Property(tries = 500)
    void arbitraryText_givesATreeOrADtsException(@ForAll("garbage") String source) {
        assertParsesOrReportsWithLocation(source);
    }

    @Property(tries = 300)
    void truncatedBoard_givesATreeOrADtsException(@ForAll @IntRange(min = 0, max = 4000) int cut) {
        assertParsesOrReportsWithLocation(BOARD.substring(0, Math.min(cut, BOARD.length())));
    }

    @Property(tries = 300)
    void boardWithOneCharacterReplaced_givesATreeOrADtsException(
            @ForAll @IntRange(min = 0, max = 4000) int at, @ForAll("dtsCharacters") char c) {
        int i = Math.min(at, BOARD.length() - 1);
        assertParsesOrReportsWithLocation(BOARD.substring(0, i) + c + BOARD.substring(i + 1));
    }

    @Property(tries = 200)
    void libSort_sortsInBothEras(@ForAll @Size(max = 70) List<@IntRange(min = 0, max = 9) Integer> values) {
        for (String version : List.of("4.4", "6.1")) {
            List<Integer> a = new ArrayList<>(values);
            LibSort.sort(a, Comparator.naturalOrder(), new OfProfile(version, Arch.ARM64));
            assertThat(a).isSortedAccordingTo(Comparator.naturalOrder()).containsExactlyInAnyOrderElementsOf(values);
        }
    }

    @Provide
    Arbitrary<String> garbage() {
        Arbitrary<String> tokens = Arbitraries.of("/", "{", "}", ";", "=", "<", ">", "[", "]", ":", "&", "&{",
                "\"", "/*", "*/", "//", "\n", " ", "0x10", "a", "a@1", "/dts-v1/", "/delete-node/", "#x", "l:", ",",
                "(", "\\", "'", "\u0000", "\u00e9");
        Arbitrary<String> structured = tokens.list().ofMaxSize(60).map(l -> String.join("", l));
        return Arbitraries.oneOf(structured, Arbitraries.strings().ofMaxLength(200));
    }

    @Provide
    Arbitrary<Character> dtsCharacters() {
        return Arbitraries.of('{', '}', ';', '<', '>', '"', '&', '/', '*', ' ', 'x', '0', '[', ':', '=', ',');
    }

    private static void assertParsesOrReportsWithLocation(String source) {
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                DeviceTree.parse("fuzz.dts", source);
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Throwable t = outcome.orTimeout(LIMIT.toMillis(), TimeUnit.MILLISECONDS).join();
        if (t != null) {
            assertThat(t).isInstanceOf(DtsException.class);
            assertThat(t.getMessage()).matches("(?s)fuzz\\.dts:\\d+:\\d+: .+");
        }
    }
}
