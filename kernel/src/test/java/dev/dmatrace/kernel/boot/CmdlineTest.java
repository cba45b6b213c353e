package dev.dmatrace.kernel.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dmatrace.kernel.boot.Cmdline.Param;
import dev.dmatrace.kernel.of.OfProfile;
import org.junit.jupiter.api.Test;

/** parse_args/next_arg splitting and do_early_param dispatch. */
class CmdlineTest {

    private static final OfProfile V61 = new OfProfile("6.1", Arch.ARM64);

    @Test
    void typicalBootargs_feedTheEarlyHandlers_andKeepTheRest() {
        Cmdline c = Cmdline.parse("console=ttyS0,115200 cma=64M@0x40000000-0x80000000 coherent_pool=1M quiet",
                V61);

        assertThat(c.cma().size()).isEqualTo(64L << 20);
        assertThat(c.cma().base()).isEqualTo(0x40000000L);
        assertThat(c.cma().limit()).isEqualTo(0x80000000L);
        assertThat(c.coherentPool().size()).hasValue(1L << 20);
        assertThat(c.unknown()).containsExactly(new Param("console", "ttyS0,115200"), new Param("quiet", null));
        assertThat(c.diagnostics()).isEmpty();
    }

    /** next_arg (lib/cmdline.c): quotes group spaces; a value's quotes are stripped only when they close it. */
    @Test
    void nextArg_handlesQuotesLikeTheKernel() {
        Cmdline c = Cmdline.parse("  foo=\"bar baz\"  \"quoted param\" x=\"a b\"c =lead", V61);

        assertThat(c.params()).containsExactly(new Param("foo", "bar baz"), new Param("quoted param", null),
                new Param("x", "a b\"c"), new Param("=lead", null));
    }

    @Test
    void doubleDash_stopsParsing_andTheRestGoesToInit() {
        Cmdline c = Cmdline.parse("cma=1M -- single mem=1M", V61);

        assertThat(c.afterDashes()).containsExactly("single", "mem=1M");
        assertThat(c.mem().given()).isFalse();
    }

    /** parameq (kernel/params.c) treats '-' and '_' alike. */
    @Test
    void dashesAndUnderscoresMatch() {
        assertThat(Cmdline.parse("coherent-pool=2M", V61).coherentPool().size()).hasValue(2L << 20);
    }

    @Test
    void numbersTheKernelReadsDifferently_areDiagnosed_andRequireCleanRejectsThem() {
        Cmdline c = Cmdline.parse("cma=64Q coherent_pool=lots", V61);

        assertThat(c.cma().size()).isEqualTo(64);
        assertThat(c.coherentPool().size()).hasValue(0);
        assertThat(c.diagnostics()).containsExactly(
                "cma=64Q: trailing 'Q' is ignored by the kernel",
                "coherent_pool=lots: 'lots' is not a number; the kernel reads 0");
        assertThatThrownBy(c::requireClean).isInstanceOf(CmdlineException.class)
                .hasMessage("cma=64Q: trailing 'Q' is ignored by the kernel");
    }
}
