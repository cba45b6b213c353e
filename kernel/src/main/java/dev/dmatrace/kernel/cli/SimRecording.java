package dev.dmatrace.kernel.cli;

import dev.dmatrace.kernel.boot.Kernel;
import dev.dmatrace.kernel.mm.Vmstat;
import dev.dmatrace.kernel.sim.Simulation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.text.ParseException;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * {@code sim --record FILE}: a JFR recording (JFR's default settings) around the workload, or around the boot and
 * the workload. The dmatrace agent, when attached, turns its hops on while any recording runs, so this is all it
 * takes to record them. /proc/buddyinfo is read (frag_show) at the start and the end of the workload, so the
 * recording holds the free lists before and after.
 */
final class SimRecording implements Simulation.Workload {

    private final Path file;
    private Recording recording;

    SimRecording(Path file) {
        this.file = file;
    }

    void start() throws IOException {
        if (recording != null) {
            return;
        }
        try {
            recording = new Recording(Configuration.getConfiguration("default"));
        } catch (ParseException e) {
            throw new IOException("JFR's default settings: " + e.getMessage(), e);
        }
        recording.setName("dmatrace sim");
        recording.setToDisk(true);
        recording.setDestination(file);
        recording.start();
    }

    /** Stops the recording, which writes it to the file. */
    void stop() throws IOException {
        if (recording != null) {
            recording.stop();
            recording.close();
            recording = null;
        }
    }

    @Override
    public void started(Kernel k) {
        try {
            start();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        new Vmstat(k.machine().pageAlloc()).buddyinfo();
    }

    @Override
    public void ended(Kernel k) {
        new Vmstat(k.machine().pageAlloc()).buddyinfo();
    }
}
