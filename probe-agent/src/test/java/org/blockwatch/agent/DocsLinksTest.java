package org.blockwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documentation's links lead somewhere: every relative link of README.md, CONTRIBUTING.md,
 * CHANGELOG.md and docs/*.md names a file or folder of the repository, and a link to a heading
 * ({@code file.md#heading}, or {@code #heading} in the same file) names one that the file has, by
 * GitHub's rule for heading anchors. Links with a scheme (https:, mailto:) are not followed.
 */
class DocsLinksTest {
    /** Tests run in the module's folder; the repository is its parent (as InterfacesDocTest reads docs/). */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** {@code [text](dest)} and {@code ![alt](dest)}, the destination optionally in angle brackets, optionally with a title. */
    private static final Pattern INLINE = Pattern.compile("!?\\[(?:[^\\]\\[]|\\[[^\\]]*\\])*\\]\\(\\s*(<[^>]*>|[^)\\s]+)(?:\\s+\"[^\"]*\")?\\s*\\)");
    /** {@code [id]: dest}, a reference definition on a line of its own. */
    private static final Pattern REFERENCE = Pattern.compile("^ {0,3}\\[[^\\]]+\\]:\\s+(<[^>]*>|\\S+)");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:name|id)=\"([^\"]+)\"");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~)");

    /** The documents whose links are checked. */
    static List<Path> documents(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String name : List.of("README.md", "CONTRIBUTING.md", "CHANGELOG.md")) {
            if (Files.isRegularFile(root.resolve(name))) out.add(root.resolve(name));
        }
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
        }
        return out;
    }

    @Test
    void everyLinkOfTheDocumentationLeadsToAFileAndHeadingThatExist() throws IOException {
        assertThat(ROOT.resolve("pom.xml")).as("the repository's root").isRegularFile();
        List<Path> docs = documents(ROOT);
        assertThat(docs).as("README.md and docs/*.md are found").contains(ROOT.resolve("README.md"), ROOT.resolve("docs/interfaces.md"));
        List<String> broken = broken(ROOT, docs);
        assertThat(broken).as("links to files or headings that do not exist").isEmpty();
    }

    @Test
    void theReadmeIsAFrontDoorWithTheTwoCommands() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
        assertThat(lines).as("README.md is at most 200 lines").hasSizeLessThanOrEqualTo(200);
        String readme = String.join("\n", lines);
        // CI runs the README's test command; the launcher and the test script must be where it says.
        assertThat(readme).contains("./blockwatch demo").contains("./run-tests");
        assertThat(ROOT.resolve("run-tests")).isExecutable();
        assertThat(ROOT.resolve("blockwatch")).isExecutable();
    }

    @Test
    void aLinkToAMissingFileOrHeadingIsReported(@TempDir Path tmp) throws IOException {
        Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(tmp.resolve("README.md"), """
                # Title

                [ok](docs/a.md), [ok too](docs/a.md#the-tls-step-a-b), [here](#title), [web](https://example.org/x.md),
                [gone](docs/missing.md), [no heading](docs/a.md#nowhere), ![img](<docs/pic one.png>)

                ```
                [inside a fence](docs/fenced-away.md)
                ```
                `[in code](docs/code-away.md)`

                [ref]: docs/also-missing.md
                """);
        Files.writeString(tmp.resolve("docs/a.md"), """
                # A

                ## The `TLS` step: [a](a.md), *b*

                [back](../README.md#title) [up and out](../../outside.md) [same file](#a)
                """);

        List<String> broken = broken(tmp, documents(tmp));

        assertThat(broken).containsExactlyInAnyOrder(
                "README.md: docs/missing.md: no such file",
                "README.md: docs/a.md#nowhere: no such heading in docs/a.md",
                "README.md: docs/pic one.png: no such file",
                "README.md: docs/also-missing.md: no such file",
                "docs/a.md: ../../outside.md: outside the repository");
    }

    @Test
    void headingsGetGitHubsAnchors() {
        assertThat(slug("`blockwatch measure`")).isEqualTo("blockwatch-measure");
        assertThat(slug("Metrics of 1,000 targets")).isEqualTo("metrics-of-1000-targets");
        assertThat(slug("What the JVM's options buy")).isEqualTo("what-the-jvms-options-buy");
        assertThat(slug("The agent against blackbox_exporter")).isEqualTo("the-agent-against-blackbox_exporter");
        assertThat(slug("The censorship lab (`lab/`)")).isEqualTo("the-censorship-lab-lab");
        assertThat(slug("Запуск зонда: риски")).isEqualTo("запуск-зонда-риски");
    }

    /** Every broken link of the documents, as "file: link: why", the file relative to the root. */
    static List<String> broken(Path root, List<Path> docs) throws IOException {
        Map<Path, Set<String>> anchors = new HashMap<>();
        List<String> out = new ArrayList<>();
        for (Path doc : docs) {
            String from = root.relativize(doc).toString();
            for (String link : links(Files.readString(doc))) {
                if (SCHEME.matcher(link).find()) continue;
                int hash = link.indexOf('#');
                String file = hash < 0 ? link : link.substring(0, hash);
                String fragment = hash < 0 ? null : link.substring(hash + 1);
                Path target = file.isEmpty() ? doc : doc.getParent().resolve(decode(file)).normalize();
                if (!target.startsWith(root)) {
                    out.add(from + ": " + link + ": outside the repository");
                } else if (!Files.exists(target)) {
                    out.add(from + ": " + link + ": no such file");
                } else if (fragment != null && !fragment.isEmpty() && target.toString().endsWith(".md")
                        && !anchors.computeIfAbsent(target, DocsLinksTest::anchorsOf).contains(decode(fragment).toLowerCase(Locale.ROOT))) {
                    out.add(from + ": " + link + ": no such heading in " + root.relativize(target));
                }
            }
        }
        return out;
    }

    /** The link destinations of a Markdown text, outside fenced blocks and code spans. */
    static List<String> links(String markdown) {
        List<String> out = new ArrayList<>();
        for (String line : prose(markdown)) {
            String text = line.replaceAll("`[^`]*`", "");
            Matcher r = REFERENCE.matcher(text);
            if (r.find()) out.add(unbracket(r.group(1)));
            for (Matcher m = INLINE.matcher(text); m.find(); ) out.add(unbracket(m.group(1)));
        }
        return out;
    }

    /** The lines of a Markdown text that are not inside a fenced code block. */
    private static List<String> prose(String markdown) {
        List<String> out = new ArrayList<>();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (FENCE.matcher(line).find()) {
                fenced = !fenced;
                continue;
            }
            if (!fenced) out.add(line);
        }
        return out;
    }

    /** The anchors a Markdown file offers: its headings' (GitHub's rule, repeats numbered) and explicit HTML anchors. */
    private static Set<String> anchorsOf(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(file + ": " + e.getMessage(), e);
        }
        Set<String> out = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : prose(text)) {
            Matcher h = HEADING.matcher(line);
            if (h.matches()) {
                String s = slug(h.group(2));
                int n = seen.merge(s, 1, Integer::sum) - 1;
                out.add(n == 0 ? s : s + "-" + n);
            }
            for (Matcher a = HTML_ANCHOR.matcher(line); a.find(); ) out.add(a.group(1).toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /** GitHub's anchor of a heading: its text as shown, lower-cased, without punctuation, spaces as hyphens. */
    static String slug(String heading) {
        String shown = heading
                .replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1") // a link shows its text
                .replaceAll("<[^>]+>", "") // HTML tags show nothing
                .replace("`", "")
                .replace("*", "");
        StringBuilder out = new StringBuilder();
        shown.toLowerCase(Locale.ROOT).codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') out.appendCodePoint(c);
            else if (c == ' ') out.append('-');
        });
        return out.toString();
    }

    private static String unbracket(String destination) {
        return destination.startsWith("<") && destination.endsWith(">") ? destination.substring(1, destination.length() - 1) : destination;
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }
}
