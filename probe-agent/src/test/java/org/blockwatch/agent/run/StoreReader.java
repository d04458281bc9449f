package org.blockwatch.agent.run;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.blockwatch.agent.store.StoreSchema;

/** A second, read-only look at an agent's store, as another process would have. */
final class StoreReader implements AutoCloseable {
    private final Connection db;

    StoreReader(Path store) throws SQLException {
        db = DriverManager.getConnection("jdbc:sqlite:file:" + store.toAbsolutePath() + "?mode=ro");
    }

    long count() throws SQLException {
        try (ResultSet r = db.createStatement().executeQuery(StoreSchema.COUNT_MEASUREMENTS)) {
            return r.getLong(1);
        }
    }

    List<String> networkStates() throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet r = db.createStatement().executeQuery(StoreSchema.NETWORK_CHANGES)) {
            while (r.next()) out.add(r.getString(2));
        }
        return out;
    }

    /** Each target's stored states, oldest first. */
    java.util.Map<String, List<String>> statesByTarget() throws SQLException {
        java.util.Map<String, List<String>> out = new java.util.TreeMap<>();
        try (ResultSet r = db.createStatement().executeQuery("SELECT target, status FROM measurements ORDER BY id")) {
            while (r.next()) out.computeIfAbsent(r.getString(1), t -> new ArrayList<>()).add(r.getString(2));
        }
        return out;
    }

    /** The methods of {@code target}'s stored measurements, oldest first ("-" for none). */
    List<String> methodsOf(String target) throws SQLException {
        List<String> out = new ArrayList<>();
        try (var s = db.prepareStatement("SELECT method FROM measurements WHERE target = ? ORDER BY id")) {
            s.setString(1, target);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) out.add(r.getString(1) == null ? "-" : r.getString(1));
            }
        }
        return out;
    }

    /** How many stored measurements record {@code text} anywhere in their JSON. */
    long countMentioning(String text) throws SQLException {
        try (var s = db.prepareStatement("SELECT count(*) FROM measurements WHERE instr(json, ?) > 0")) {
            s.setString(1, text);
            try (ResultSet r = s.executeQuery()) {
                return r.getLong(1);
            }
        }
    }

    String integrity() throws SQLException {
        try (ResultSet r = db.createStatement().executeQuery("PRAGMA integrity_check")) {
            return r.getString(1);
        }
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
