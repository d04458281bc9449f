package org.blockwatch.agent.settings;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A configuration file that is not valid YAML, explained as a volunteer needs it: the line and
 * column of the mistake itself (a tab, a key indented unlike its neighbours, a list left open)
 * rather than where the parser gave up, and the cause in plain words rather than the parser's.
 */
final class YamlSyntax {
    private final Path file;
    private final List<String> lines;

    YamlSyntax(Path file, String text) {
        this.file = file;
        this.lines = text.lines().toList();
    }

    /** The message for {@code e}, thrown while parsing the file's text. */
    String explain(JsonProcessingException e) {
        // YAML forbids tabs in indentation; the parser stumbles on them somewhere after, if at all where they are.
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int tab = indentTab(line);
            if (tab >= 0) return at(i + 1, tab + 1) + "a tab character; YAML indents with spaces (replace the tab with spaces)";
        }
        MarkedYAMLException marked = marked(e);
        if (marked == null) {
            JsonLocation at = e.getLocation();
            return file + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr()) + ": not valid YAML: "
                    + e.getOriginalMessage().lines().findFirst().orElse("");
        }
        String context = marked.getContext() == null ? "" : marked.getContext();
        String problem = marked.getProblem() == null ? "" : marked.getProblem();
        Mark opened = marked.getContextMark();
        Mark where = marked.getProblemMark();
        if (context.contains("flow sequence") && opened != null) {
            return at(opened) + "a list opened with '[' is not closed with ']' (or an item lacks its ',')";
        }
        if (context.contains("flow mapping") && opened != null) {
            return at(opened) + "a section opened with '{' is not closed with '}' (or an entry lacks its ',')";
        }
        if (context.contains("quoted scalar") && opened != null) {
            return at(opened) + "a value opened with a quote is not closed with the same quote";
        }
        if (where != null) {
            int line = where.getLine();
            int indent = indent(line);
            int above = contentAbove(line);
            boolean child = above >= 0 && lines.get(above).stripTrailing().endsWith(":") && indent > indent(above);
            if (above >= 0 && indent >= 0 && indent != indent(above) && !child) {
                return at(line + 1, indent + 1) + "this line is indented differently from the keys above it (" + indent(above)
                        + " spaces); indent the keys of a section alike";
            }
            if (problem.startsWith("mapping values are not allowed")) {
                return at(where) + "a ': ' inside a value; put the value in quotes (\"...\")";
            }
            return at(where) + problem + (context.isEmpty() ? "" : " (" + context + ")");
        }
        return file + ": not valid YAML: " + problem;
    }

    /** The column (from 0) of a tab in the line's indentation, or -1. */
    private static int indentTab(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\t') return line.substring(i).isBlank() ? -1 : i;
            if (c != ' ') return -1;
        }
        return -1;
    }

    /** The indentation of the line at {@code index} (from 0), or -1 past the end. */
    private int indent(int index) {
        if (index < 0 || index >= lines.size()) return -1;
        String line = lines.get(index);
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') i++;
        return i;
    }

    /** The nearest line above {@code index} with content (not blank, not a comment), or -1. */
    private int contentAbove(int index) {
        for (int i = Math.min(index, lines.size()) - 1; i >= 0; i--) {
            String s = lines.get(i).strip();
            if (!s.isEmpty() && !s.startsWith("#")) return i;
        }
        return -1;
    }

    private static MarkedYAMLException marked(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof MarkedYAMLException m) return m;
        }
        return null;
    }

    private String at(Mark mark) {
        return at(mark.getLine() + 1, mark.getColumn() + 1);
    }

    private String at(int line, int column) {
        return file + ":" + line + ":" + column + ": not valid YAML: ";
    }
}
