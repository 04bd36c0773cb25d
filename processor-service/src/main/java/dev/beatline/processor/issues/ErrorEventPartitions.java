package dev.beatline.processor.issues;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The daily partitions of {@code error_events} (range on {@code received_at}, UTC days, named
 * {@code error_events_pYYYYMMDD}). Created ahead of time by {@link #createAround} (processor start and a
 * schedule) and on demand by {@link #ensure} inside a batch's transaction for events of other days. Thread-safe.
 */
public final class ErrorEventPartitions {

    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd");

    /** Days whose partition was seen committed; never holds a partition created by a transaction that may roll back. */
    private final Set<LocalDate> known = ConcurrentHashMap.newKeySet();

    public static LocalDate day(Instant receivedAt) {
        return LocalDate.ofInstant(receivedAt, ZoneOffset.UTC);
    }

    /** Start of a day's partition range (midnight UTC). */
    public static Instant start(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    public static String tableName(LocalDate day) {
        return "error_events_p" + SUFFIX.format(day);
    }

    /** Creates the partitions of {@code today - before} .. {@code today + after}, each in the caller's transaction. */
    public void createAround(Connection c, LocalDate today, int before, int after) throws SQLException {
        for (LocalDate d = today.minusDays(before); !d.isAfter(today.plusDays(after)); d = d.plusDays(1)) {
            create(c, d);
        }
    }

    /** Makes sure each day has its partition, creating missing ones in the caller's (batch) transaction. */
    public void ensure(Connection c, Collection<LocalDate> days) throws SQLException {
        for (LocalDate d : days) {
            if (known.contains(d)) {
                continue;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                ps.setString(1, tableName(d));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        known.add(d);
                        continue;
                    }
                }
            }
            create(c, d);
        }
    }

    private static void create(Connection c, LocalDate d) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + tableName(d) + " PARTITION OF error_events FOR VALUES FROM ('"
                    + d + " 00:00:00+00') TO ('" + d.plusDays(1) + " 00:00:00+00')");
        }
    }
}
