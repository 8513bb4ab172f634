package dev.serval.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pid file names a server only while that server runs. */
class PidFileTest {

    @TempDir
    Path work;

    @Test
    void aPidOfAProcessThatEndedNamesNoServer() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        assertTrue(ended.waitFor(10, TimeUnit.SECONDS));
        PidFile file = PidFile.in(work);
        file.write(ended.pid());

        assertEquals(OptionalLong.of(ended.pid()), file.read());
        assertTrue(file.server().isEmpty());
        assertTrue(file.exists());
    }

    @Test
    void aPidTheOsGaveToAnotherProgramNamesNoServer() throws Exception {
        // This test's JVM runs, but not Serval's main class: a reused pid that stop must not signal.
        PidFile file = PidFile.in(work);
        file.write(ProcessHandle.current().pid());

        assertTrue(file.server().isEmpty());
    }

    @Test
    void noFileOrNoNumberNamesNoServer() throws Exception {
        PidFile file = PidFile.in(work);
        assertTrue(file.read().isEmpty());
        assertFalse(file.exists());

        Files.writeString(file.path(), "not a pid\n");
        assertTrue(file.read().isEmpty());
        assertTrue(file.server().isEmpty());
    }

    @Test
    void aStartThatFailedDeletesOnlyItsOwnServersPid() throws Exception {
        PidFile file = PidFile.in(work);
        file.write(42);
        file.deleteIfNaming(43);
        assertTrue(file.exists());
        file.deleteIfNaming(42);
        assertFalse(file.exists());
    }
}
