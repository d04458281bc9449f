package org.blockwatch.agent.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.blockwatch.agent.settings.CommandSettings;
import org.blockwatch.agent.settings.Key;
import org.blockwatch.agent.settings.Keys;
import org.blockwatch.agent.settings.SettingsException;

/**
 * The configuration loader on any input (part of the fuzzing suite; how many tries: see
 * junit-platform.properties): every file is read or refused with a message naming it, never
 * another exception and never a hang.
 */
class ConfigFuzzTest {
    private static final List<String> KEYS = Keys.ALL.stream().map(Key::name).toList();

    @Property
    void anyTextIsReadOrRefusedByName(@ForAll String text) throws Exception {
        assertReadOrRefused(text);
    }

    @Property
    void realKeysWithAnyValuesAreReadOrRefusedByName(@ForAll("configs") String text) throws Exception {
        assertReadOrRefused(text);
    }

    @Provide
    Arbitrary<String> configs() {
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(30),
                Arbitraries.of("", "~", "null", "[]", "{}", "[a, b]", "{a: 1}", "- x", "1e309", "-1", "99999999999999999999", "0x10", "true",
                        "auto", "1h", "64KiB", "127.0.0.1:0", "[::1]:9466", "&a", "*a", "!!binary aGVsbG8=", "'quoted'", "\"\\u0000\"",
                        "|\n  text", ">\n  folded"),
                Arbitraries.integers().map(String::valueOf));
        Arbitrary<String> line = Combinators.combine(Arbitraries.of(KEYS), value).as((key, v) -> {
            String[] parts = key.split("\\.");
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < parts.length - 1; i++) sb.append("  ".repeat(i)).append(parts[i]).append(":\n");
            return sb.append("  ".repeat(parts.length - 1)).append(parts[parts.length - 1]).append(": ").append(v).append('\n').toString();
        });
        return line.list().ofMaxSize(6).map(lines -> String.join("", lines));
    }

    private static void assertReadOrRefused(String text) throws Exception {
        Path file = Files.createTempFile("fuzz", ".yaml");
        try {
            Files.writeString(file, text);
            try {
                CommandSettings.fromFile(file);
            } catch (SettingsException refused) {
                assertThat(refused.getMessage()).startsWith(file.toString());
            }
        } finally {
            Files.delete(file);
        }
    }
}
