package org.blockwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.agent.store.StoreLockHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A second {@code run} on a store an agent holds: refused before it measures anything, naming the holder. */
class RunLockTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(60)
    void aSecondRunOnTheSameStoreIsRefusedNamingTheFirstsProcess() throws Exception {
        Path store = tmp.resolve("blockwatch.db");
        Path csv = Files.writeString(tmp.resolve("targets.csv"), "url,category_code,category_description,date_added,source,notes\n"
                + "http://127.0.0.1:9/,NEWS,News Media,2026-01-01,test,\n");
        // Loopback only, should the lock ever fail to stop it: no helpers, resolvers or lookups outside.
        Path config = Files.writeString(tmp.resolve("config.yaml"), String.join("\n", "consent: true", "targets:", "  lists: [" + csv + "]",
                "tests:", "  enabled: [web_connectivity]", "measurement:", "  resolver: 127.0.0.1:9", "  extra_resolvers: []", "control:",
                "  helpers: []", "metrics:", "  listen: 127.0.0.1:0", "store:", "  path: " + store, "network:", "  asn: AS64500",
                "  country: KZ", ""));
        Process first = StoreLockHolder.start(store);
        try {
            Cli r = Cli.run("run", "--config", config.toString());
            assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.USAGE);
            assertThat(r.err()).contains("is in use by another blockwatch agent: process " + first.pid(), "one agent per store");
            // Refused before the store was even opened: nothing was written there.
            assertThat(store).doesNotExist();
        } finally {
            first.destroyForcibly().waitFor();
        }
        try (MeasurementStore s = MeasurementStore.open(store)) {
            assertThat(s.count()).isZero();
        }
    }
}
