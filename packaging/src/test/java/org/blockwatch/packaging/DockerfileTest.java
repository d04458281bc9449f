package org.blockwatch.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The container definition, checked statically: no container engine runs on the machines that
 * build blockwatch. It must build in one stage and run in another, as a user that is not root,
 * with the store on a volume, the metrics port exposed, and the image's launcher as entry point.
 */
class DockerfileTest {
    private static final Path DOCKERFILE = Path.of("container", "Dockerfile");

    /** One instruction: its keyword and its arguments, continuation lines joined, comments dropped. */
    record Instruction(String keyword, String args) {}

    static List<List<Instruction>> stages() throws IOException {
        List<List<Instruction>> stages = new ArrayList<>();
        StringBuilder logical = new StringBuilder();
        for (String line : Files.readAllLines(DOCKERFILE)) {
            String t = line.strip();
            if (t.startsWith("#") || (t.isEmpty() && logical.isEmpty())) continue;
            boolean continued = t.endsWith("\\");
            logical.append(continued ? t.substring(0, t.length() - 1) : t).append(' ');
            if (continued) continue;
            String[] parts = logical.toString().strip().split("\\s+", 2);
            logical.setLength(0);
            Instruction i = new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1] : "");
            if (i.keyword().equals("FROM")) stages.add(new ArrayList<>());
            stages.getLast().add(i);
        }
        return stages;
    }

    static List<String> all(List<Instruction> stage, String keyword) {
        return stage.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::args).toList();
    }

    static String last(List<Instruction> stage, String keyword) {
        List<String> found = all(stage, keyword);
        assertThat(found).as("%s in the final stage", keyword).isNotEmpty();
        return found.getLast();
    }

    @Test
    void buildsInOneStageAndRunsTheRuntimeImageInAnother() throws IOException {
        List<List<Instruction>> stages = stages();
        assertThat(stages).hasSizeGreaterThanOrEqualTo(2);
        assertThat(stages.getFirst().getFirst().args()).matches("\\S+ AS build");
        String build = String.join(" ", all(stages.getFirst(), "RUN"));
        assertThat(build).contains("packaging/build-image.sh").contains("/opt/blockwatch");

        List<Instruction> run = stages.getLast();
        assertThat(all(run, "COPY")).anyMatch(c -> c.equals("--from=build /opt/blockwatch /opt/blockwatch"));
        assertThat(String.join(" ", all(run, "RUN"))).doesNotContain("mvnw"); // no build tools in what runs
    }

    @Test
    void runsAsAUserThatIsNotRoot() throws IOException {
        List<Instruction> run = stages().getLast();
        String user = last(run, "USER").split(":")[0];
        assertThat(user).isNotIn("root", "0");
        // the user exists: created in this stage
        assertThat(String.join(" ", all(run, "RUN"))).containsPattern("useradd .*\\b" + Pattern.quote(user) + "\\b");
        // and nothing after USER switches back
        int u = run.indexOf(run.stream().filter(i -> i.keyword().equals("USER")).reduce((a, b) -> b).orElseThrow());
        assertThat(run.subList(u + 1, run.size())).noneMatch(i -> i.keyword().equals("RUN"));
    }

    @Test
    void keepsTheStoreAndTheConsentOnAVolume() throws IOException {
        List<Instruction> run = stages().getLast();
        String volume = last(run, "VOLUME");
        assertThat(volume).contains("\"/var/lib/blockwatch\"");
        // The agent's store is $XDG_DATA_HOME/blockwatch/blockwatch.db, its consent under $XDG_CONFIG_HOME.
        String env = String.join(" ", all(run, "ENV"));
        Matcher data = Pattern.compile("XDG_DATA_HOME=(\\S+)").matcher(env);
        Matcher config = Pattern.compile("XDG_CONFIG_HOME=(\\S+)").matcher(env);
        assertThat(data.find()).isTrue();
        assertThat(config.find()).isTrue();
        assertThat(Path.of(data.group(1), "blockwatch")).isEqualTo(Path.of("/var/lib/blockwatch"));
        assertThat(Path.of(config.group(1)).startsWith(Path.of("/var/lib/blockwatch"))).as("consent on the volume").isTrue();
    }

    @Test
    void exposesTheMetricsPortItListensOn() throws IOException {
        List<List<Instruction>> stages = stages();
        String exposed = last(stages.getLast(), "EXPOSE");
        assertThat(exposed).isEqualTo("9466");
        // the configuration baked in listens on that port on the container's interface
        String build = String.join(" ", all(stages.getFirst(), "RUN"));
        assertThat(build).contains("listen: 0.0.0.0:" + exposed);
        assertThat(Files.readString(Path.of("..", "config", "blockwatch.sample.yaml"))).contains("  listen: 127.0.0.1:" + exposed);
    }

    @Test
    void entersThroughTheImageLauncherAndRunsTheAgent() throws IOException {
        List<Instruction> run = stages().getLast();
        assertThat(last(run, "ENTRYPOINT")).isEqualTo("[\"/opt/blockwatch/bin/blockwatch\"]");
        assertThat(last(run, "CMD")).isEqualTo("[\"run\", \"--config\", \"/etc/blockwatch/blockwatch.yaml\"]");
        assertThat(all(run, "COPY")).anyMatch(c -> c.endsWith(" /etc/blockwatch/blockwatch.yaml"));
        // the launcher the build script installs as bin/blockwatch
        assertThat(Files.readString(Path.of("build-image.sh"))).contains("cp \"$here/bin/blockwatch\" \"$image/bin/blockwatch\"");
    }
}
