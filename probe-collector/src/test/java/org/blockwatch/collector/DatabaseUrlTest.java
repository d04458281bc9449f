package org.blockwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {
    @Test
    void postgresqlUrlsBecomeJdbcUrls() {
        assertThat(DatabaseUrl.jdbc("postgresql://bw:p%40ss@db.example:5433/blockwatch"))
                .isEqualTo("jdbc:postgresql://db.example:5433/blockwatch?user=bw&password=p%40ss");
        assertThat(DatabaseUrl.jdbc("postgresql://bw@127.0.0.1/blockwatch")).isEqualTo("jdbc:postgresql://127.0.0.1/blockwatch?user=bw");
        assertThat(DatabaseUrl.jdbc("jdbc:postgresql://h/db?user=x")).isEqualTo("jdbc:postgresql://h/db?user=x");
    }

    @Test
    void postgresUrlsAsLibpqAndHerokuWriteThemAreTheSame() {
        assertThat(DatabaseUrl.jdbc("postgres://bw:p%40ss@db.example:5433/blockwatch"))
                .isEqualTo("jdbc:postgresql://db.example:5433/blockwatch?user=bw&password=p%40ss");
        assertThat(DatabaseUrl.shown("postgres://bw:secret@db.example/blockwatch")).isEqualTo("postgres://bw:***@db.example/blockwatch");
    }

    @Test
    void anotherDatabaseIsRefusedByName() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DatabaseUrl.jdbc("mysql://bw@db.example/blockwatch"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mysql://bw@db.example/blockwatch")
                .hasMessageContaining("postgresql://").hasMessageContaining("postgres://");
    }

    @Test
    void passwordsAreMaskedInWhatIsShown() {
        assertThat(DatabaseUrl.shown("postgresql://bw:secret@db.example/blockwatch")).isEqualTo("postgresql://bw:***@db.example/blockwatch");
        assertThat(DatabaseUrl.shown("jdbc:postgresql://h/db?user=x&password=secret")).isEqualTo("jdbc:postgresql://h/db?user=x&password=***");
    }
}
