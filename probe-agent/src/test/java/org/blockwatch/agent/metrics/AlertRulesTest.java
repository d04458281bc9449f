package org.blockwatch.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The alert rules as Alertmanager and Grafana read them: each rule's runbook is an absolute link
 * into docs/runbooks.md, on the one base an operator changes, to a section that exists. (Their
 * behaviour is tested by promtool: prometheus/blockwatch-alerts.test.yml.)
 */
class AlertRulesTest {
    private static final Path ROOT = Path.of("..");
    private static final Path RULES = ROOT.resolve("prometheus/blockwatch-alerts.yml");
    private static final Path RUNBOOKS = ROOT.resolve("docs/runbooks.md");
    /** The base every rule's runbook_url starts with (the rules file says how to change it). */
    static final String BASE = "https://blockwatch.invalid/docs/runbooks.md";

    private static List<JsonNode> rules() throws IOException {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(RULES.toFile());
        List<JsonNode> rules = new ArrayList<>();
        for (JsonNode group : doc.get("groups")) group.get("rules").forEach(rules::add);
        return rules;
    }

    /** GitHub's anchors of a Markdown file's headings: lower case, punctuation dropped, spaces as hyphens. */
    private static Set<String> anchors(Path markdown) throws IOException {
        Matcher m = Pattern.compile("(?m)^#{1,6} +(.+?) *$").matcher(Files.readString(markdown));
        Set<String> anchors = new java.util.HashSet<>();
        while (m.find()) anchors.add(m.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
        return anchors;
    }

    @Test
    void everyRuleHasAnAbsoluteRunbookUrlOnTheOneBaseToASectionThatExists() throws IOException {
        List<JsonNode> rules = rules();
        assertThat(rules).hasSizeGreaterThanOrEqualTo(13);
        Set<String> sections = anchors(RUNBOOKS);
        for (JsonNode rule : rules) {
            String alert = rule.get("alert").asText();
            JsonNode url = rule.path("annotations").path("runbook_url");
            assertThat(url.isTextual()).as("%s has a runbook_url", alert).isTrue();
            URI uri = URI.create(url.asText());
            assertThat(uri.isAbsolute()).as("%s's runbook_url %s is absolute (a relative one is no link in Alertmanager or Grafana)", alert, uri).isTrue();
            assertThat(uri.getScheme()).isEqualTo("https");
            assertThat(url.asText()).as("%s's runbook_url is on the one base, so that one sed changes them all", alert).startsWith(BASE + "#");
            assertThat(uri.getFragment()).as("%s's runbook is the section named after it", alert).isEqualTo(alert.toLowerCase(Locale.ROOT));
            assertThat(sections).as("docs/runbooks.md has a section for %s", alert).contains(uri.getFragment());
        }
    }

    @Test
    void theBaseIsTheProjectsHomeAsThePackageStatesIt() throws IOException {
        String control = Files.readString(ROOT.resolve("packaging/deb/control"));
        Matcher home = Pattern.compile("(?m)^Homepage: *(\\S+)$").matcher(control);
        assertThat(home.find()).isTrue();
        assertThat(BASE).startsWith(home.group(1).replaceAll("/$", "") + "/");
    }

    @Test
    void noRuleNorDashboardOfOursReadsTheDeprecatedCommaJoinedFlags() throws IOException {
        // blockwatch_target_flags{flags} goes in the next release; flags=~".*tls_mitm.*" matched the government root too.
        Pattern deprecated = Pattern.compile("blockwatch_target_flags\\b");
        assertThat(deprecated.matcher(Files.readString(RULES)).find()).as("a rule on blockwatch_target_flags").isFalse();
        try (Stream<Path> dashboards = Files.list(ROOT.resolve("grafana/dashboards"))) {
            List<String> using = dashboards.filter(p -> {
                try {
                    return deprecated.matcher(Files.readString(p)).find();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(p -> p.getFileName().toString()).collect(Collectors.toList());
            assertThat(using).as("dashboards on blockwatch_target_flags").isEmpty();
        }
    }
}
