package dev.beatline.processor.metrics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Range partitions of the metric and trace tables: named {@code <table>_p<start>} where start is
 * {@code yyyyMMddHH} (hour), {@code yyyyMMdd} (day) or {@code yyyyMM} (month), UTC. Writers call
 * {@link #ensure} for the periods they write, inside their batch transaction; the retention job creates the
 * coming ones and drops expired ones, which frees disk at once.
 *
 * <p>A partition created in a batch transaction that then rolls back is gone again, so a created partition is
 * only remembered as existing once the creating transaction is seen committed ({@code txid_status}); until then
 * each {@link #ensure} asks PostgreSQL, and re-creates it if the transaction aborted.
 */
public final class Partitions {

    /** Size of one partition. */
    public enum Period {
        DAY(ChronoUnit.DAYS, "yyyyMMdd"), MONTH(ChronoUnit.MONTHS, "yyyyMM");

        private final ChronoUnit unit;
        private final DateTimeFormatter suffix;

        Period(ChronoUnit unit, String pattern) {
            this.unit = unit;
            this.suffix = DateTimeFormatter.ofPattern(pattern).withZone(ZoneOffset.UTC);
        }

        /** Start of the period holding {@code t}. */
        public Instant start(Instant t) {
            LocalDateTime d = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
            d = switch (this) {
                case DAY -> d.truncatedTo(ChronoUnit.DAYS);
                case MONTH -> d.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
            };
            return d.toInstant(ZoneOffset.UTC);
        }

        public Instant next(Instant start) {
            return LocalDateTime.ofInstant(start, ZoneOffset.UTC).plus(1, unit).toInstant(ZoneOffset.UTC);
        }

        String suffix(Instant start) {
            return suffix.format(start);
        }

        Instant parse(String suffix) {
            String s = suffix;
            if (this == MONTH) {
                s += "01";
            }
            s += "00";
            return LocalDateTime.parse(s, DateTimeFormatter.ofPattern("yyyyMMddHH")).toInstant(ZoneOffset.UTC);
        }
    }

    /**
     * Fill factor of the partitions of tables whose rows are rewritten batch after batch (the histogram metrics
     * tables): half of each page stays free, so a row's new version fits on its page — a HOT update, which adds
     * no index entry and whose dead versions are pruned at the next visit. At 100 (PostgreSQL's default) a
     * page fills, updates move rows to other pages, and every such update leaves one more index entry under the
     * same key that each later lookup of that row walks through.
     */
    static final int UPDATED_IN_PLACE_FILLFACTOR = 50;
    private static final Set<String> UPDATED_IN_PLACE = Set.copyOf(Stream.of(MetricTable.TRANSACTIONS,
            MetricTable.SERVICES, MetricTable.DEPENDENCIES).flatMap(t -> Stream.of(t.name(), t.hourlyName())).toList());

    private final Set<String> known = ConcurrentHashMap.newKeySet();
    /** Partitions this instance created, by the id of the creating transaction, not yet seen committed. */
    private final Map<String, Long> unconfirmed = new ConcurrentHashMap<>();

    /** Creates the partition of {@code table} holding {@code t} unless it exists. */
    public void ensure(Connection c, String table, Period period, Instant t) throws SQLException {
        Instant start = period.start(t);
        String name = table + "_p" + period.suffix(start);
        if (known.contains(name)) {
            return;
        }
        Long creator = unconfirmed.get(name);
        if (creator != null) {
            String status = creatorStatus(c, creator);
            if ("committed".equals(status)) {
                known.add(name);
                unconfirmed.remove(name);
                return;
            }
            if ("in progress".equals(status)) {
                return; // created earlier in this same transaction
            }
            unconfirmed.remove(name);
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + name + " PARTITION OF " + table + " FOR VALUES FROM ('"
                    + start + "') TO ('" + period.next(start) + "')"
                    + (UPDATED_IN_PLACE.contains(table) ? " WITH (fillfactor = " + UPDATED_IN_PLACE_FILLFACTOR + ")" : ""));
            try (ResultSet rs = s.executeQuery("SELECT txid_current()")) {
                rs.next();
                unconfirmed.put(name, rs.getLong(1));
            }
        }
    }

    private static String creatorStatus(Connection c, long txid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT txid_status(?)")) {
            ps.setLong(1, txid);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /**
     * Drops the partitions of {@code table} whose whole period ended before {@code cutoff}.
     *
     * @return the dropped partitions' names
     */
    public List<String> dropBefore(Connection c, String table, Period period, Instant cutoff) throws SQLException {
        List<String> dropped = new ArrayList<>();
        String prefix = table + "_p";
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT child.relname FROM pg_inherits
                  JOIN pg_class parent ON parent.oid = pg_inherits.inhparent
                  JOIN pg_class child ON child.oid = pg_inherits.inhrelid
                 WHERE parent.relname = ? AND parent.relnamespace = to_regnamespace(current_schema())::oid""")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    if (name.startsWith(prefix) && !period.next(period.parse(name.substring(prefix.length()))).isAfter(cutoff)) {
                        dropped.add(name);
                    }
                }
            }
        }
        try (Statement s = c.createStatement()) {
            for (String name : dropped) {
                s.execute("DROP TABLE IF EXISTS " + name);
                known.remove(name);
                unconfirmed.remove(name);
            }
        }
        return dropped;
    }
}
