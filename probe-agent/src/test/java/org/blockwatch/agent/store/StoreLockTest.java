package org.blockwatch.agent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One agent per store: the second is refused, naming the first's process; the lock goes with its process. */
class StoreLockTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(60)
    void anotherProcessHoldsItUntilItDiesThenItIsFree() throws Exception {
        Path store = tmp.resolve("blockwatch.db");
        Process first = StoreLockHolder.start(store);
        try {
            assertThatThrownBy(() -> StoreLock.acquire(store, "run"))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("store " + store + " is in use by another blockwatch agent: process " + first.pid())
                    .hasMessageContaining(StoreLockHolder.class.getName())
                    .hasMessageContaining("'run'");
        } finally {
            first.destroyForcibly().waitFor();
        }
        // Killed (no clean-up of its own): its file is still there, and is no lock.
        assertThat(StoreLock.fileOf(store)).exists();
        try (StoreLock second = StoreLock.acquire(store, "run")) {
            assertThat(Files.readString(second.file())).contains("pid=" + ProcessHandle.current().pid());
        }
    }

    @Test
    void twoAgentsInOneProcessAreRefusedTooAndAReleasedLockIsTakenAgain() throws Exception {
        Path store = tmp.resolve("s.db");
        try (StoreLock first = StoreLock.acquire(store, "run")) {
            assertThat(first.file()).isEqualTo(tmp.resolve("s.lock"));
            assertThatThrownBy(() -> StoreLock.acquire(store, "upload")).isInstanceOf(StoreException.class)
                    .hasMessageContaining("process " + ProcessHandle.current().pid());
        }
        StoreLock.acquire(store, "run").close();
    }

    @Test
    void storesInOneFolderAreLockedApart() throws Exception {
        try (StoreLock a = StoreLock.acquire(tmp.resolve("a.db"), "run"); StoreLock b = StoreLock.acquire(tmp.resolve("b.db"), "run")) {
            assertThat(a.file()).isNotEqualTo(b.file());
        }
    }
}
