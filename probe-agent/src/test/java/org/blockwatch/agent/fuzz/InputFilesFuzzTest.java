package org.blockwatch.agent.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.agent.store.StoreException;
import org.blockwatch.agent.targets.TargetList;
import org.blockwatch.agent.targets.TargetListLoader;

/**
 * Target lists and stores as a volunteer might hand them over, broken any way (part of the fuzzing
 * suite): a list loads its good rows and names each bad one; a file that is not a store is
 * refused by name; nothing else escapes.
 */
class InputFilesFuzzTest {
    private static final String HEADER = "url,category_code,category_description,date_added,source,notes\n";

    @Provide
    Arbitrary<String> lists() {
        Arbitrary<String> field = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(20),
                Arbitraries.of("https://news.example/", "http://xn--80ak6aa92e.example/", "https://[::1]:443/", "ftp://x/", "https://", "\"a,b\"",
                        "\"unclosed", "NEWS", "GRP", "2026-12-01", "domestic", "\uFEFF", "\r", "", "https://a.example/" + "x".repeat(3000)));
        Arbitrary<String> row = field.list().ofMinSize(0).ofMaxSize(8).map(fields -> String.join(",", fields));
        // Most with Citizen Lab's header line, some without.
        return net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 4), row.list().ofMaxSize(20))
                .as((header, rows) -> (header > 0 ? HEADER : "") + String.join("\n", rows));
    }

    @Property
    void aBrokenTargetListLoadsItsGoodRowsAndNamesTheBadOnes(@ForAll("lists") String csv) throws Exception {
        Path file = Files.createTempFile("fuzz", ".csv");
        try {
            Files.writeString(file, csv);
            TargetList list;
            try {
                list = TargetListLoader.loadOne(file.toString());
            } catch (IOException | IllegalArgumentException refused) {
                assertThat(refused.getMessage()).contains(file.toString());
                return;
            }
            assertThat(list.problems()).allSatisfy(p -> assertThat(p).isNotBlank());
            assertThat(list.targets()).allSatisfy(t -> assertThat(t.webUrl().orElseThrow().url().scheme()).isIn("http", "https"));
        } finally {
            Files.delete(file);
        }
    }

    @Property
    void aFileThatIsNotAStoreIsRefusedByName(@ForAll byte[] bytes) throws Exception {
        Path dir = Files.createTempDirectory("fuzz");
        Path file = dir.resolve("store.db");
        try {
            Files.write(file, bytes);
            try (MeasurementStore store = MeasurementStore.open(file)) {
                // Some bytes are a store (an empty file is a new one): then it reads.
                store.currentStates();
            } catch (StoreException refused) {
                assertThat(refused.getMessage()).contains(file.toString());
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) Files.delete(p);
            }
            Files.delete(dir);
        }
    }

    /**
     * A pause file with any bytes in it (issue 29: one that was not UTF-8 was ignored, and the agent
     * measured): it pauses, unless it holds a time now past; when it is damaged, the reason names it.
     */
    @Property
    void aPauseFileOfAnyBytesPausesOrNamesItself(@ForAll("pauseFiles") byte[] bytes) throws Exception {
        Path dir = Files.createTempDirectory("fuzz");
        Path file = dir.resolve("blockwatch.paused");
        try {
            Files.write(file, bytes);
            java.time.Instant now = java.time.Instant.parse("2026-12-02T10:30:00Z");
            var until = new org.blockwatch.agent.schedule.Pause(file, org.blockwatch.agent.schedule.QuietHours.parse(""), java.time.ZoneOffset.UTC).at(now);
            if (until.isEmpty()) {
                assertThat(java.time.Instant.parse(new String(bytes, java.nio.charset.StandardCharsets.UTF_8).strip())).isBeforeOrEqualTo(now);
            } else if (!until.get().reason().equals("paused")) {
                assertThat(until.get().reason()).contains(file.toString());
            }
        } finally {
            Files.deleteIfExists(file);
            Files.delete(dir);
        }
    }

    @Provide
    Arbitrary<byte[]> pauseFiles() {
        return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofMaxSize(64),
                Arbitraries.of("until resumed\n", "2026-12-03T00:00:00Z\n", "2026-12-01T00:00:00Z", "until\u00ffresumed", "")
                        .map(t -> t.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)),
                Arbitraries.of(new byte[] {'u', 'n', 't', 'i', 'l', (byte) 0xff, (byte) 0xfe, '\n'}));
    }

    /**
     * Remote-write buffers holding entries named like requests any way (issue 29: a count of
     * 99999999999 stopped the agent from starting; a folder so named stopped every send): the
     * buffer opens, every entry stays where it was, and what it gives as waiting is a file.
     */
    @Property
    void aRemoteWriteBufferOpensWhateverItsEntriesAreNamed(@ForAll("segmentNames") java.util.List<String> names, @ForAll boolean folders)
            throws Exception {
        Path dir = Files.createTempDirectory("fuzz");
        try {
            int i = 0;
            for (String name : names) {
                Path p = dir.resolve(name);
                if (Files.exists(p)) continue;
                if (folders && i++ % 2 == 0) Files.createDirectory(p);
                else Files.write(p, new byte[] {1});
            }
            org.blockwatch.agent.push.PushBuffer b = new org.blockwatch.agent.push.PushBuffer(dir, 1_000_000);
            b.oldest().ifPresent(s -> assertThat(s.file()).isRegularFile());
            for (String name : names) assertThat(dir.resolve(name)).exists();
        } finally {
            try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }

    @Provide
    Arbitrary<java.util.List<String>> segmentNames() {
        Arbitrary<String> count = Arbitraries.oneOf(Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(20),
                Arbitraries.of("99999999999", "2147483647", "2147483648", "0"));
        return net.jqwik.api.Combinators.combine(Arbitraries.longs().between(0, 9_999_999_999_999_999L), count)
                .as((seq, n) -> String.format("%016d-%s.rw", seq, n)).list().ofMaxSize(6);
    }
}
