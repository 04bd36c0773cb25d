package dev.beatline.processor.issues;

import dev.beatline.grouping.Fingerprinter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Each project's grouping: the built-in rules plus the project's own fingerprint and stack-trace rules
 * ({@code projects.fingerprint_rules}, {@code stacktrace_rules}, set through the query API, which parses them
 * first). A project's entry is checked against {@code grouping_rules_version} at most once per {@code refresh},
 * so a change applies to events processed a few seconds later; projects without rules share the default.
 */
public final class ProjectGroupings {

    private static final Logger LOG = Logger.getLogger(ProjectGroupings.class);
    private static final Fingerprinter DEFAULT = new Fingerprinter();

    private record Entry(long version, Fingerprinter fingerprinter, long checkedAtNanos) {
    }

    private final long refreshNanos;
    private final Map<Long, Entry> entries = new ConcurrentHashMap<>();

    public ProjectGroupings(Duration refresh) {
        this.refreshNanos = refresh.toNanos();
    }

    /** The grouping of each of {@code projects}, reading rules that changed (one query for all stale projects). */
    public Map<Long, Fingerprinter> forProjects(Connection c, Collection<Long> projects) throws SQLException {
        long now = System.nanoTime();
        Map<Long, Fingerprinter> out = new HashMap<>();
        List<Long> stale = new ArrayList<>();
        for (Long p : projects) {
            Entry e = entries.get(p);
            if (e != null && now - e.checkedAtNanos() < refreshNanos) {
                out.put(p, e.fingerprinter());
            } else if (!out.containsKey(p)) {
                stale.add(p);
            }
        }
        if (stale.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, grouping_rules_version, fingerprint_rules, "
                + "stacktrace_rules FROM projects WHERE id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("int8", stale.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    long version = rs.getLong(2);
                    Entry known = entries.get(id);
                    Fingerprinter f = known != null && known.version() == version ? known.fingerprinter()
                            : build(id, rs.getString(3), rs.getString(4));
                    entries.put(id, new Entry(version, f, now));
                    out.put(id, f);
                }
            }
        }
        for (Long p : stale) {
            out.putIfAbsent(p, DEFAULT); // no such project (any more): its events still group
        }
        return out;
    }

    private static Fingerprinter build(long project, String fingerprintRules, String stackTraceRules) {
        if (fingerprintRules.isBlank() && stackTraceRules.isBlank()) {
            return DEFAULT;
        }
        try {
            return Fingerprinter.forProject(stackTraceRules, fingerprintRules);
        } catch (IllegalArgumentException e) {
            // the query API refuses such rules; only a hand-edited row gets here
            LOG.warnf("project %d: grouping rules ignored, built-in grouping used: %s", project, e.getMessage());
            return DEFAULT;
        }
    }
}
