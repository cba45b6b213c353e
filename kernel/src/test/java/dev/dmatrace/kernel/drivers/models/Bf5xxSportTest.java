package dev.dmatrace.kernel.drivers.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dmatrace.kernel.Errno;
import org.junit.jupiter.api.Test;

class Bf5xxSportTest {

    @Test
    void arm44_nullDevice_gfp0_ringComesFromTheAtomicPool_andIsFreedWithHandle0() {
        ModelEnv env = ModelEnv.arm44().with("fragcount", 8);
        long poolAvail = env.kernel().arm().atomicPool().avail();
        Bf5xxSport sport = new Bf5xxSport();

        assertThat(sport.probe(env)).isZero();
        RecordingDma.Call alloc = env.dma.calls("alloc").get(0);
        assertThat(alloc.dev()).isNull();
        assertThat(alloc.size()).isEqualTo(8 * Bf5xxSport.SIZEOF_DMASG);
        assertThat(alloc.cpuAddr()).isNotZero();
        assertThat(env.kernel().arm().atomicPool().avail()).isLessThan(poolAvail);

        sport.remove(env);
        assertThat(env.dma.calls("free")).singleElement()
                .isEqualTo(new RecordingDma.Call("free", null, alloc.size(), alloc.cpuAddr(), 0));
        assertThat(env.kernel().arm().atomicPool().avail()).isEqualTo(poolAvail);
    }

    @Test
    void io_reconfiguresThePcm_freesTheOldRingBeforeAllocatingTheNew() {
        ModelEnv env = ModelEnv.arm44().with("fragcount", 16);
        long poolAvail = env.kernel().arm().atomicPool().avail();
        Bf5xxSport sport = new Bf5xxSport();
        assertThat(sport.probe(env)).isZero();

        assertThat(sport.io(env)).isZero();

        assertThat(env.dma.calls).extracting(RecordingDma.Call::fn).containsExactly("alloc", "free", "alloc");
        sport.remove(env);
        assertThat(env.kernel().arm().atomicPool().avail()).isEqualTo(poolAvail);
    }

    @Test
    void arm44_ringLargerThanTheAtomicPool_isEnomem() {
        ModelEnv env = ModelEnv.arm44();
        long tooMany = env.kernel().arm().atomicPool().size() / Bf5xxSport.SIZEOF_DMASG + 1;
        env.with("fragcount", tooMany);

        assertThat(new Bf5xxSport().probe(env)).isEqualTo(-Errno.ENOMEM);
        assertThat(env.dma.calls("alloc")).singleElement().extracting(RecordingDma.Call::cpuAddr).isEqualTo(0L);
    }

    @Test
    void from5_10_theNullDeviceOopses_probeNeverReturns() {
        ModelEnv env = ModelEnv.arm64("5.10");
        assertThatThrownBy(() -> new Bf5xxSport().probe(env)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NULL");
    }
}
