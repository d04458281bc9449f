package org.blockwatch.agent.cli;

import java.util.List;

/**
 * The operators' commands ({@code control-server}, {@code collector}) and {@code export --from
 * postgresql://} need libraries that volunteers never install: the collector, PostgreSQL's
 * driver, Flyway, HikariCP. One build makes both packages; the volunteers' leaves those jars out
 * (packaging/build-image.sh), and this is how the program tells which it is.
 */
final class Operators {
    static final List<String> COMMANDS = List.of("control-server", "collector");
    private static final boolean INSTALLED = present("org.blockwatch.collector.CollectorServer") && present("org.postgresql.Driver");

    private Operators() {}

    static boolean installed() {
        return INSTALLED;
    }

    /** Whether the class file is on the class path: looked up, not loaded (every command pays this at start). */
    private static boolean present(String className) {
        return Operators.class.getClassLoader().getResource(className.replace('.', '/') + ".class") != null;
    }
}
