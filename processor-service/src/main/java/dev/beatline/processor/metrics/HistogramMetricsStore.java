package dev.beatline.processor.metrics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Merges a batch's aggregates into a {@link MetricTable}'s minute and hour rows, inside the caller's
 * transaction. Histograms cannot be added in SQL, so per table and resolution: read the batch's existing rows,
 * add the batch to them in Java and write them back; insert the rows that did not exist
 * ({@code ON CONFLICT DO NOTHING}); a row that appeared meanwhile is read and merged in a second round. Three
 * statements per table and resolution whatever the batch size (arrays through {@code unnest}). Hour rows are
 * built from closed minutes by {@link HourRollup}; a batch writes them only for late events of hours already
 * rolled up, in the same transaction as their minute rows, so both stay exactly once.
 *
 * <p>Read-modify-write is made safe by {@link ServiceLocks}: every row belongs to one (project, service), and
 * every writer first takes that service's transaction-scoped advisory lock, so writers of the same rows run one
 * after the other and each reads what the previous one committed. One lock per service per batch instead of a
 * {@code SELECT ... FOR UPDATE} row lock (a heap write and WAL record) on every row.
 */
public final class HistogramMetricsStore {

    private static final List<String> MEASURES = List.of("count", "success_count", "failure_count", "sum_us",
            "min_us", "max_us", "histogram");
    /** The measure columns, in the order {@link #measures(ResultSet, int)} reads them. */
    static final String MEASURE_COLUMNS = String.join(", ", MEASURES);
    private static final int MAX_ROUNDS = 5;

    private final Partitions partitions;

    public HistogramMetricsStore(Partitions partitions) {
        this.partitions = partitions;
    }

    /**
     * Merges per-minute aggregates into the minute table and, for minutes of hours already rolled up
     * ({@link HourRollup}: late events), folded into hours, into the hour table.
     */
    public void merge(Connection c, MetricTable table, Map<MetricKey, Measures> perMinute) throws SQLException {
        if (perMinute.isEmpty()) {
            return;
        }
        SortedMap<MetricKey, Measures> minutes = new TreeMap<>(perMinute);
        ServiceLocks.lock(c, minutes.keySet().stream().map(k -> k.projectId() + "/" + k.dimensions().get(0)).toList());
        Instant rolledThrough = HourRollup.rolledThrough(c);
        SortedMap<MetricKey, Measures> hours = new TreeMap<>();
        for (Map.Entry<MetricKey, Measures> e : minutes.entrySet()) {
            Instant hour = e.getKey().bucket().truncatedTo(ChronoUnit.HOURS);
            if (hour.isBefore(rolledThrough)) {
                hours.computeIfAbsent(e.getKey().withBucket(hour), k -> new Measures()).add(e.getValue());
            }
        }
        for (MetricKey k : minutes.keySet()) {
            partitions.ensure(c, table.name(), Partitions.Period.DAY, k.bucket());
        }
        for (MetricKey k : hours.keySet()) {
            partitions.ensure(c, table.hourlyName(), Partitions.Period.MONTH, k.bucket());
        }
        mergeInto(c, table.name(), table.dimensions(), minutes);
        if (!hours.isEmpty()) {
            mergeInto(c, table.hourlyName(), table.dimensions(), hours);
        }
    }

    /** Inserts hour rows that do not exist yet (the rollup deleted the hour's rows first). */
    void insertHours(Connection c, MetricTable table, SortedMap<MetricKey, Measures> rows) throws SQLException {
        if (!rows.isEmpty()) {
            write(c, insertSql(table.hourlyName(), table.dimensions()), new ArrayList<>(rows.keySet()),
                    new ArrayList<>(rows.values()), true);
        }
    }

    /** The measures of a row whose measure columns ({@link #MEASURE_COLUMNS}) start at column {@code first}. */
    static Measures measures(ResultSet rs, int first) throws SQLException {
        return Measures.stored(rs.getDouble(first), rs.getDouble(first + 1), rs.getDouble(first + 2),
                rs.getDouble(first + 3), rs.getLong(first + 4), rs.getLong(first + 5), rs.getBytes(first + 6));
    }

    private void mergeInto(Connection c, String table, List<String> dims, SortedMap<MetricKey, Measures> batch)
            throws SQLException {
        List<MetricKey> pending = new ArrayList<>(batch.keySet());
        for (int round = 0; !pending.isEmpty(); round++) {
            if (round == MAX_ROUNDS) {
                throw new SQLException("rows of " + table + " kept appearing concurrently; batch will be retried");
            }
            Map<MetricKey, Measures> stored = readExisting(c, table, dims, pending);
            List<MetricKey> existing = new ArrayList<>();
            List<Measures> merged = new ArrayList<>();
            List<MetricKey> missing = new ArrayList<>();
            List<Measures> fresh = new ArrayList<>();
            for (MetricKey k : pending) {
                Measures s = stored.get(k);
                if (s != null) {
                    s.add(batch.get(k));
                    existing.add(k);
                    merged.add(s);
                } else {
                    missing.add(k);
                    fresh.add(batch.get(k));
                }
            }
            write(c, updateSql(table, dims), existing, merged, false);
            Set<MetricKey> inserted = write(c, insertSql(table, dims), missing, fresh, true);
            pending = missing.stream().filter(k -> !inserted.contains(k)).toList();
        }
    }

    private Map<MetricKey, Measures> readExisting(Connection c, String table, List<String> dims, List<MetricKey> keys)
            throws SQLException {
        // LATERAL: one primary-key lookup per key, whatever the planner thinks of a fresh partition's size
        String sql = "SELECT t.project_id, t.bucket, " + cols("t.", dims) + ", " + cols("t.", MEASURES)
                + " FROM unnest(" + keyParams(dims) + ") AS k(" + keyCols(dims) + "), LATERAL (SELECT * FROM " + table
                + " WHERE " + IntStream.range(0, dims.size() + 2).mapToObj(i -> keyColumn(dims, i) + " = k." + keyColumn(dims, i))
                        .collect(Collectors.joining(" AND ")) + ") t";
        Map<MetricKey, Measures> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bindKeys(c, ps, dims.size(), keys);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> values = new ArrayList<>(dims.size());
                    for (int i = 0; i < dims.size(); i++) {
                        values.add(rs.getString(3 + i));
                    }
                    out.put(new MetricKey(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), values),
                            measures(rs, 3 + dims.size()));
                }
            }
        }
        return out;
    }

    /** Runs an UPDATE or INSERT over the rows; for an INSERT, returns the keys actually inserted. */
    private Set<MetricKey> write(Connection c, String sql, List<MetricKey> keys, List<Measures> values, boolean returning)
            throws SQLException {
        Set<MetricKey> inserted = new HashSet<>();
        if (keys.isEmpty()) {
            return inserted;
        }
        int n = keys.size();
        Double[] count = new Double[n];
        Double[] success = new Double[n];
        Double[] failure = new Double[n];
        Double[] sum = new Double[n];
        Long[] min = new Long[n];
        Long[] max = new Long[n];
        byte[][] histogram = new byte[n][];
        for (int i = 0; i < n; i++) {
            Measures m = values.get(i);
            count[i] = m.count();
            success[i] = m.successCount();
            failure[i] = m.failureCount();
            sum[i] = m.sumUs();
            min[i] = m.minUs();
            max[i] = m.maxUs();
            histogram[i] = m.histogram().encode();
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int p = bindKeys(c, ps, keys.get(0).dimensions().size(), keys);
            ps.setArray(p++, c.createArrayOf("float8", count));
            ps.setArray(p++, c.createArrayOf("float8", success));
            ps.setArray(p++, c.createArrayOf("float8", failure));
            ps.setArray(p++, c.createArrayOf("float8", sum));
            ps.setArray(p++, c.createArrayOf("int8", min));
            ps.setArray(p++, c.createArrayOf("int8", max));
            ps.setArray(p, c.createArrayOf("bytea", histogram));
            if (returning) {
                try (ResultSet rs = ps.executeQuery()) {
                    int d = keys.get(0).dimensions().size();
                    while (rs.next()) {
                        List<String> v = new ArrayList<>(d);
                        for (int i = 0; i < d; i++) {
                            v.add(rs.getString(3 + i));
                        }
                        inserted.add(new MetricKey(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), v));
                    }
                }
            } else {
                ps.executeUpdate();
            }
        }
        return inserted;
    }

    private static String updateSql(String table, List<String> dims) {
        return "UPDATE " + table + " t SET "
                + MEASURES.stream().map(m -> m + " = v." + m).collect(Collectors.joining(", "))
                + " FROM unnest(" + keyParams(dims) + ", " + measureParams() + ") AS v(" + keyCols(dims) + ", "
                + String.join(", ", MEASURES) + ") WHERE "
                + IntStream.range(0, dims.size() + 2).mapToObj(i -> "t." + keyColumn(dims, i) + " = v." + keyColumn(dims, i))
                        .collect(Collectors.joining(" AND "));
    }

    private static String insertSql(String table, List<String> dims) {
        return "INSERT INTO " + table + " (" + keyCols(dims) + ", " + String.join(", ", MEASURES) + ") SELECT * FROM unnest("
                + keyParams(dims) + ", " + measureParams() + ") ON CONFLICT DO NOTHING RETURNING project_id, bucket, "
                + String.join(", ", dims);
    }

    private static String keyColumn(List<String> dims, int i) {
        return i == 0 ? "project_id" : i == 1 ? "bucket" : dims.get(i - 2);
    }

    private static String keyCols(List<String> dims) {
        return "project_id, bucket, " + String.join(", ", dims);
    }

    private static String keyParams(List<String> dims) {
        return "?::int8[], ?::timestamptz[], " + dims.stream().map(d -> "?::text[]").collect(Collectors.joining(", "));
    }

    private static String measureParams() {
        return "?::float8[], ?::float8[], ?::float8[], ?::float8[], ?::int8[], ?::int8[], ?::bytea[]";
    }

    private static String cols(String prefix, List<String> names) {
        return names.stream().map(n -> prefix + n).collect(Collectors.joining(", "));
    }

    /** Binds project ids, buckets and each dimension as arrays from parameter 1; returns the next parameter index. */
    private static int bindKeys(Connection c, PreparedStatement ps, int dimCount, List<MetricKey> keys)
            throws SQLException {
        int n = keys.size();
        Long[] projects = new Long[n];
        String[] buckets = new String[n];
        String[][] dims = new String[dimCount][n];
        for (int i = 0; i < n; i++) {
            MetricKey k = keys.get(i);
            projects[i] = k.projectId();
            buckets[i] = k.bucket().toString();
            for (int d = 0; d < dimCount; d++) {
                dims[d][i] = k.dimensions().get(d);
            }
        }
        int p = 1;
        ps.setArray(p++, c.createArrayOf("int8", projects));
        ps.setArray(p++, c.createArrayOf("text", buckets));
        for (int d = 0; d < dimCount; d++) {
            ps.setArray(p++, c.createArrayOf("text", dims[d]));
        }
        return p;
    }
}
