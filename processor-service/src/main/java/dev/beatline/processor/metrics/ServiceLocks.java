package dev.beatline.processor.metrics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.TreeSet;

/**
 * Transaction-scoped PostgreSQL advisory locks per {@code projectId/serviceName}: the metric and trace writers of
 * one service (which may run in different processors, since a service's transactions and spans are on different
 * topics) take them before reading rows they will rewrite. Taken in sorted order; released at commit or
 * rollback. Two batches that lock overlapping services from different handlers in opposite order can deadlock;
 * PostgreSQL then aborts one and the consumer loop retries that batch. The {@link HourRollup} lock is taken in
 * shared mode first.
 */
public final class ServiceLocks {

    private static final int LOCK_CLASS = 5_001;

    private ServiceLocks() {
    }

    /** Locks each distinct {@code projectId/serviceName} until the end of the transaction. */
    public static void lock(Connection c, List<String> services) throws SQLException {
        TreeSet<String> sorted = new TreeSet<>(services);
        if (sorted.isEmpty()) {
            return;
        }
        HourRollup.shareLock(c); // always before service locks, so the rollup's exclusive lock cannot close a cycle
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(" + LOCK_CLASS
                + ", hashtext(k)) FROM unnest(?::text[]) WITH ORDINALITY AS u(k, i) ORDER BY i")) {
            ps.setArray(1, c.createArrayOf("text", sorted.toArray()));
            ps.executeQuery().close();
        }
    }
}
