package org.blockwatch.agent.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetListLoaderTest {
    /** The project's own copies of Citizen Lab's lists (see the folder's README). */
    private static final Path REAL_LISTS = Path.of("src/test/resources/citizenlab-test-lists");

    @Test
    void everyRealCitizenLabListLoads() throws IOException {
        assertThat(REAL_LISTS).as("the project's copies of Citizen Lab's lists").isDirectory();
        List<Path> lists;
        try (Stream<Path> files = Files.list(REAL_LISTS)) {
            lists = files.filter(p -> p.toString().endsWith(".csv") && !p.getFileName().toString().startsWith("00-")).sorted().toList();
        }
        assertThat(lists).hasSizeGreaterThanOrEqualTo(9);
        for (Path list : lists) {
            TargetList loaded = TargetListLoader.loadOne(list.toString());
            assertThat(loaded.problems()).as(list.toString()).isEmpty();
            long rows = Files.readAllLines(list).stream().filter(l -> l.startsWith("http")).count();
            assertThat(loaded.targets()).as(list.toString()).hasSize((int) rows);
        }
        TargetList kz = TargetListLoader.loadOne(REAL_LISTS.resolve("kz.csv").toString());
        assertThat(kz.targets()).hasSize(553);
    }

    @Test
    void citizenLabsFullListsAreBuiltInUnchanged() throws IOException {
        for (String name : new String[] {"kz", "global"}) {
            TargetList builtIn = TargetListLoader.loadOne("builtin:citizenlab-" + name);
            TargetList copy = TargetListLoader.loadOne(REAL_LISTS.resolve(name + ".csv").toString());
            assertThat(builtIn.problems()).isEmpty();
            assertThat(builtIn.targets()).extracting(Target::label).containsExactlyElementsOf(copy.targets().stream().map(Target::label).toList());
        }
        assertThat(TargetListLoader.loadOne("builtin:citizenlab-kz").targets()).hasSize(553);
        TargetList all = TargetListLoader.load(List.of("builtin:kz", "builtin:global", "builtin:citizenlab-kz", "builtin:citizenlab-global"), List.of());
        assertThat(all.targets().size()).as("duplicates across lists measured once").isGreaterThan(2_000).isLessThan(553 + 1_722 + 54);
    }

    @Test
    void theBuiltInListsLoadWithoutProblems() throws IOException {
        TargetList all = TargetListLoader.load(List.of("builtin:kz", "builtin:global"), List.of());
        assertThat(all.problems()).isEmpty();
        assertThat(all.targets()).extracting(Target::category).contains("NEWS", "GRP", "ANON", "CTRL");
        assertThat(all.targets()).extracting(Target::label).contains("https://www.azattyq.org/", "https://web.telegram.org/");
        assertThat(TargetListLoader.load(List.of("builtin:kz"), List.of("ANON")).targets()).allSatisfy(t -> assertThat(t.category()).isEqualTo("ANON"));
    }

    @Test
    void badRowsAreReportedWithTheirLineAndTheRestLoad(@TempDir Path tmp) throws IOException {
        Path list = Files.writeString(tmp.resolve("list.csv"), String.join("\n",
                "url,category_code,category_description,date_added,source,notes",
                "https://good.example/,NEWS,News Media,2024-01-01,test,",
                "\"https://quoted.example/a,b?c=\"\"d\"\"\",NEWS,News Media,2024-01-01,test,\"notes, with a comma\"",
                ",NEWS,News Media,2024-01-01,test,",
                "ftp://files.example/,FILE,File-sharing,2024-01-01,test,",
                "https://nocategory.example/,,,2024-01-01,test,",
                "https://toomany.example/,NEWS,News,2024,test,notes,extra,more",
                "https://яндекс.рф/,SRCH,Search Engines,2024-01-01,test,",
                ""));
        TargetList loaded = TargetListLoader.loadOne(list.toString());
        assertThat(loaded.targets()).extracting(Target::label)
                .containsExactly("https://good.example/", "https://quoted.example/a,b?c=\"d\"", "https://яндекс.рф/");
        assertThat(loaded.problems()).containsExactly(
                list + ":4: field 'url' is empty",
                list + ":5: field 'url': 'ftp://files.example/': scheme 'ftp' is not measured, only http and https",
                list + ":6: field 'category_code' is empty",
                list + ":7: expected 6 fields, found 8");
    }

    @Test
    void unreadableListsAreNamed(@TempDir Path tmp) throws IOException {
        assertThatThrownBy(() -> TargetListLoader.loadOne(tmp.resolve("missing.csv").toString())).hasMessageContaining("missing.csv: no such file");
        assertThatThrownBy(() -> TargetListLoader.loadOne("builtin:xx")).hasMessageContaining("no such built-in list");
        Path notCsv = Files.writeString(tmp.resolve("notes.csv"), "hello,world\nfoo,bar\n");
        assertThat(TargetListLoader.loadOne(notCsv.toString()).problems()).singleElement().asString().contains("not a Citizen Lab list");
    }

    @Test
    void aRowWhoseNotesSayDomesticIsABaseline(@TempDir Path tmp) throws IOException {
        Path list = Files.writeString(tmp.resolve("list.csv"), String.join("\n",
                "url,category_code,category_description,date_added,source,notes",
                "https://kaspi.kz/,COMM,E-commerce,2024-01-01,blockwatch,domestic baseline (hosted in Kazakhstan)",
                "https://www.azattyq.org/,NEWS,News Media,2024-01-01,blockwatch,not domestically hosted",
                "https://www.bbc.com/,NEWS,News Media,2024-01-01,blockwatch,"));
        List<Target> targets = TargetListLoader.loadOne(list.toString()).targets();
        assertThat(targets).extracting(Target::domestic).containsExactly(true, false, false);
    }
}
