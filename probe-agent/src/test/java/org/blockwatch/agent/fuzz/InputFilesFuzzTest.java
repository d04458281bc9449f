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
}
