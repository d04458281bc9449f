package org.blockwatch.agent.targets;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.blockwatch.core.engine.TargetUrl;

/**
 * Reads target lists in Citizen Lab's CSV format ({@code url,category_code,category_description,
 * date_added,source,notes}). A bad row is reported with its file and line and skipped; the rest
 * load. Lists are files or {@code builtin:NAME} (the curated lists shipped in {@code targets/}).
 */
public final class TargetListLoader {
    public static final String BUILTIN = "builtin:";
    /**
     * The curated lists ({@code kz}, {@code global}) and Citizen Lab's full lists, unchanged
     * ({@code citizenlab-kz}: 553 rows, {@code citizenlab-global}: 1,722; CC BY-NC-SA 4.0, see
     * {@code targets/citizenlab/}).
     */
    static final List<String> BUILTIN_NAMES = List.of("kz", "global", "citizenlab-kz", "citizenlab-global");
    private static final Set<String> REQUIRED = Set.of("url", "category_code");

    private TargetListLoader() {}

    /** Every list, de-duplicated by URL (the first row wins), keeping only {@code categories} when given. */
    public static TargetList load(List<String> lists, List<String> categories) throws IOException {
        return load(lists, categories, null);
    }

    /**
     * The same, with Citizen Lab's lists as last fetched by {@code targets update} into {@code updated}
     * (when there) rather than as built in.
     */
    public static TargetList load(List<String> lists, List<String> categories, Path updated) throws IOException {
        Map<String, Target> byUrl = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String list : lists) {
            TargetList one = loadOne(list, updated);
            problems.addAll(one.problems());
            for (Target t : one.targets()) {
                if (categories.isEmpty() || categories.contains(t.category())) byUrl.putIfAbsent(t.webUrl().orElseThrow().url().toString(), t);
            }
        }
        return new TargetList(new ArrayList<>(byUrl.values()), problems);
    }

    /** One list. @throws IOException when the list cannot be read at all (the message names it) */
    public static TargetList loadOne(String list) throws IOException {
        return loadOne(list, null);
    }

    /** One list, Citizen Lab's as last updated into {@code updated} when there. */
    public static TargetList loadOne(String list, Path updated) throws IOException {
        if (list.startsWith(BUILTIN)) {
            String name = list.substring(BUILTIN.length());
            if (!BUILTIN_NAMES.contains(name)) throw new IOException(list + ": no such built-in list (there are " + BUILTIN_NAMES + ")");
            Path fetched = updated == null || !name.startsWith("citizenlab-") ? null : updated.resolve(name + ".csv");
            if (fetched != null && Files.isRegularFile(fetched)) {
                return parse(list + " (updated, " + fetched + ")", Files.readString(fetched, StandardCharsets.UTF_8));
            }
            String resource = name.startsWith("citizenlab-") ? "citizenlab/" + name.substring("citizenlab-".length()) + ".csv" : name + ".csv";
            try (InputStream in = TargetListLoader.class.getResourceAsStream(resource)) {
                if (in == null) throw new IOException(list + ": missing from this build");
                return parse(list, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        Path file = Path.of(list);
        try {
            return parse(list, Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new IOException(list + ": no such file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IOException(list + ": not UTF-8 text");
        } catch (IOException e) {
            throw new IOException(list + ": cannot read (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    static TargetList parse(String name, String text) throws IOException {
        List<Target> targets = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        CsvFactory factory = new CsvFactory();
        factory.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        try (Reader reader = new StringReader(text.startsWith("\uFEFF") ? text.substring(1) : text);
                JsonParser p = factory.createParser(reader)) {
            List<String> header = null;
            if (p.nextToken() != JsonToken.START_ARRAY) return new TargetList(targets, List.of(name + ": empty list"));
            while (true) {
                JsonToken t;
                try {
                    t = p.nextToken();
                } catch (IOException e) {
                    problems.add(name + ":" + p.currentLocation().getLineNr() + ": unreadable CSV (" + firstLine(e.getMessage()) + ")");
                    break;
                }
                if (t != JsonToken.START_ARRAY) break;
                int line = -1; // where the row's first value is (a row's start token sits at the end of the line before)
                List<String> row = new ArrayList<>();
                while (p.nextToken() == JsonToken.VALUE_STRING) {
                    if (line < 0) line = p.currentTokenLocation().getLineNr();
                    row.add(p.getText());
                }
                if (row.isEmpty() || (row.size() == 1 && row.get(0).isBlank())) continue;
                if (header == null) {
                    header = row.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
                    if (!header.containsAll(REQUIRED)) {
                        return new TargetList(List.of(), List.of(name + ":" + line + ": not a Citizen Lab list: the header needs " + REQUIRED));
                    }
                    continue;
                }
                String problem = row(header, row, targets);
                if (problem != null) problems.add(name + ":" + line + ": " + problem);
            }
        }
        return new TargetList(targets, problems);
    }

    /** Adds the row's target, or says what is wrong with it. */
    private static String row(List<String> header, List<String> row, List<Target> into) {
        if (row.size() > header.size()) return "expected " + header.size() + " fields, found " + row.size();
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) fields.put(header.get(i), i < row.size() ? row.get(i).strip() : "");
        String url = fields.get("url");
        if (url.isEmpty()) return "field 'url' is empty";
        String category = fields.get("category_code");
        if (category.isEmpty()) return "field 'category_code' is empty";
        if (!category.matches("[A-Za-z_]{2,12}")) return "field 'category_code': '" + category + "' is not a category code";
        TargetUrl parsed;
        try {
            parsed = TargetUrl.parse(url);
        } catch (IllegalArgumentException e) {
            return "field 'url': " + e.getMessage();
        }
        into.add(new Target(parsed, category.toUpperCase(Locale.ROOT), fields.getOrDefault("category_description", ""),
                fields.getOrDefault("source", ""), Target.domesticIn(fields.get("notes"))));
        return null;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
