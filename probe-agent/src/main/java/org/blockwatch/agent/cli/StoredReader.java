package org.blockwatch.agent.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.agent.store.StoreException;

/** What {@code list} and {@code show} share: the store opened to read (never made), and times in the volunteer's own zone. */
final class StoredReader {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx");

    private StoredReader() {}

    /** The store at {@code path}, which must be there: a reader does not create one. */
    static MeasurementStore open(Path path) {
        if (!Files.exists(path)) {
            throw new InputException("store " + path + ": no such file (nothing measured yet, or another --store/--config?)");
        }
        try {
            return MeasurementStore.open(path);
        } catch (StoreException e) {
            throw new InputException(e.getMessage(), e);
        }
    }

    /** {@code at} in the local zone, with its offset: 2026-12-01 16:00:00 +06:00. */
    static String local(Instant at) {
        return LOCAL.format(at.atZone(ZoneId.systemDefault()));
    }
}
