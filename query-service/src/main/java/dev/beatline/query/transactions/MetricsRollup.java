package dev.beatline.query.transactions;

import dev.beatline.query.api.TimeRange;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * How far the processor has built hour rows from closed minutes ({@code metrics_rollup}, V630): hours before
 * {@link #rolledThrough()} are read from the hourly tables, later ones from the minute tables. Read per request;
 * it only ever moves forward, and minute rows stay, so a rollup finishing during a request changes nothing read.
 */
@ApplicationScoped
public class MetricsRollup {

    private final AgroalDataSource dataSource;

    public MetricsRollup(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Instant rolledThrough() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT rolled_through FROM metrics_rollup WHERE id = 1")) {
            return rs.next() ? rs.getObject(1, OffsetDateTime.class).toInstant() : Instant.EPOCH;
        }
    }

    /** The window of {@code range} with hour rows only where they are complete. */
    public MetricsWindow window(TimeRange range) throws SQLException {
        return MetricsWindow.of(range, rolledThrough());
    }
}
