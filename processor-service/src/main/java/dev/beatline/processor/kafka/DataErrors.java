package dev.beatline.processor.kafka;

import java.sql.SQLException;
import java.util.Set;

/**
 * Tells a failure caused by the data of a record (retrying cannot help: the record must be dead-lettered) from
 * one caused by the database being unavailable or busy (retrying will help).
 */
final class DataErrors {

    /**
     * SQLSTATE classes of data errors: 22 data exception (e.g. a NUL character, a number out of range),
     * 23 integrity constraint violation, 54 program limit exceeded (e.g. an index row too large).
     */
    private static final Set<String> DATA_CLASSES = Set.of("22", "23", "54");

    private DataErrors() {
    }

    static boolean isCausedByData(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().length() >= 2
                    && DATA_CLASSES.contains(sql.getSQLState().substring(0, 2))) {
                return true;
            }
        }
        SQLException next = e.getNextException(); // batch updates report the cause here
        return next != null && next != e && isCausedByData(next);
    }
}
