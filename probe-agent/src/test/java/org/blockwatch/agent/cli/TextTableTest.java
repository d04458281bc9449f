package org.blockwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Columns line up on a terminal, whatever the script of the cells. */
class TextTableTest {

    private static List<String> table(List<String[]> rows) {
        StringWriter out = new StringWriter();
        TextTable.print(new PrintWriter(out), rows);
        return out.toString().lines().toList();
    }

    @Test
    void aLetterWithACombiningMarkTakesOneColumnAndAWideOneTwo() {
        assertThat(TextTable.width("Русский")).isEqualTo(7);
        assertThat(TextTable.width("и\u0306")).isEqualTo(1); // й decomposed, as macOS file names and some keyboards leave it
        assertThat(TextTable.width("中文")).isEqualTo(4);
        assertThat(TextTable.width("\uD835\uDC00")).isEqualTo(1); // outside the BMP: one letter, two chars
        // Each row's second column starts at the same terminal column.
        List<String> lines = table(List.of(new String[] {"заблокировани\u0306", "dns", "x"}, new String[] {"доступен", "-", "y"},
                new String[] {"中文", "tls", "z"}));
        assertThat(lines.get(0)).isEqualTo("заблокировани\u0306  dns  x");
        assertThat(lines.get(1)).isEqualTo("доступен" + " ".repeat(7) + "-    y");
        assertThat(lines.get(2)).isEqualTo("中文" + " ".repeat(11) + "tls  z");
    }

    @Test
    void aTranslatedLabelLongerThanTheOthersWidensItsColumn() {
        List<String> lines = table(List.of(new String[] {"Агент:", "работает"}, new String[] {"Следующий проход:", "около 12:00"}));
        assertThat(lines).containsExactly("Агент:             работает", "Следующий проход:  около 12:00");
    }
}
