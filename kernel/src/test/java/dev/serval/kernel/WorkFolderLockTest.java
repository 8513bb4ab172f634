package dev.serval.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkFolderLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondHoldIsRefusedNamingTheFolderAndTheHoldersPid() throws Exception {
        Path work = dir.resolve("work");
        try (WorkFolderLock first = WorkFolderLock.acquire(work)) {
            IOException e = assertThrows(IOException.class, () -> WorkFolderLock.acquire(work));

            String pid = String.valueOf(ProcessHandle.current().pid());
            assertTrue(
                    e.getMessage().contains(work.toAbsolutePath() + " is in use by another server (pid " + pid + ")"),
                    e.getMessage());
            assertEquals(
                    pid, Files.readString(work.resolve(WorkFolderLock.FILE)), "the refused one left the file alone");
        }
    }

    @Test
    void theFolderCanBeTakenAgainOnceLetGo() throws Exception {
        Path work = dir.resolve("work");
        WorkFolderLock.acquire(work).close();

        try (WorkFolderLock again = WorkFolderLock.acquire(work)) {
            assertEquals(
                    String.valueOf(ProcessHandle.current().pid()), Files.readString(work.resolve(WorkFolderLock.FILE)));
        }
    }
}
