package dev.beatline.processor.issues;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.beatline.grouping.Fingerprinter;
import dev.beatline.grouping.GroupingResult;
import dev.beatline.model.CanonicalEvent;
import dev.beatline.model.ErrorEvent;
import dev.beatline.model.EventCodec;
import dev.beatline.model.Topics;
import dev.beatline.processor.kafka.EventBatchHandler;
import dev.beatline.processor.scrubbing.Scrubber;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Applies a batch of errors: scrubs secrets, groups each error into its issue (one per project and
 * fingerprint), counts it and stores the occurrence, all in the batch's transaction.
 *
 * <p>Counting is exact and idempotent: an event counts only when its (project, event id) is new in
 * {@code error_event_ids}, so a redelivered batch or an SDK sending the same event twice counts once.
 * Statements work on whole batches (arrays), and every statement touches its rows in a fixed key order so
 * that concurrent processors never deadlock. The issue upsert takes each issue's row lock for the rest of the
 * transaction, which serialises regression decisions (see {@link RegressionPolicy}) across processors.
 * An ignored issue whose ignore condition the batch meets is reopened ({@link IssueSnoozes}, {@link SnoozePolicy}).
 * How many occurrences are <em>stored</em> per issue and minute of receipt is capped; counts are not. Neither
 * are occurrences that are (almost) older than the {@link ErrorRetention}: they are counted, not stored.
 */
public final class ErrorEventWriter implements EventBatchHandler {

    private final ProjectGroupings groupings;
    private final Scrubber scrubber;
    private final ErrorEventPartitions partitions;
    private final int maxStoredPerIssueMinute;
    private final ErrorRetention retention;

    public ErrorEventWriter(ProjectGroupings groupings, Scrubber scrubber, ErrorEventPartitions partitions,
            int maxStoredPerIssueMinute, ErrorRetention retention) {
        this.groupings = groupings;
        this.scrubber = scrubber;
        this.partitions = partitions;
        this.maxStoredPerIssueMinute = maxStoredPerIssueMinute;
        this.retention = retention;
    }

    @Override
    public String topic() {
        return Topics.ERRORS;
    }

    private record Key(long projectId, String fingerprint) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Long.compare(projectId, o.projectId);
            return c != 0 ? c : fingerprint.compareTo(o.fingerprint);
        }
    }

    private record EventKey(long projectId, String eventId) implements Comparable<EventKey> {
        @Override
        public int compareTo(EventKey o) {
            int c = Long.compare(projectId, o.projectId);
            return c != 0 ? c : eventId.compareTo(o.eventId);
        }
    }

    /** A scrubbed, fingerprinted error. */
    private record Occurrence(ErrorEvent event, GroupingResult grouping) {
        long projectId() {
            return event.header().projectId();
        }

        String release() {
            return event.header().service().version();
        }

        Instant receivedAt() {
            return event.header().receivedAt();
        }

        Instant timestamp() {
            return event.header().timestamp();
        }
    }

    private record IssueRow(long id, boolean created, RegressionPolicy.Resolution resolution) {
    }

    @Override
    public void apply(Connection c, List<CanonicalEvent> events) throws SQLException {
        // DDL first, so its lock on error_events is never taken while holding issue row locks
        Instant now = Instant.now();
        TreeSet<LocalDate> days = new TreeSet<>();
        for (CanonicalEvent e : events) {
            if (retention.stores(e.header().receivedAt(), now)) {
                days.add(ErrorEventPartitions.day(e.header().receivedAt()));
            }
        }
        partitions.ensure(c, days);

        Map<Long, Fingerprinter> byProject = groupings.forProjects(c,
                events.stream().map(e -> e.header().projectId()).collect(Collectors.toSet()));
        Map<EventKey, Occurrence> unique = new TreeMap<>();
        for (CanonicalEvent ce : events) {
            ErrorEvent e = (ErrorEvent) ce;
            unique.computeIfAbsent(new EventKey(e.header().projectId(), e.header().eventId()), k -> {
                ErrorEvent scrubbed = scrubber.scrub(e);
                return new Occurrence(scrubbed, byProject.get(k.projectId()).fingerprint(scrubbed));
            });
        }
        List<Occurrence> fresh = claimEventIds(c, unique);
        if (fresh.isEmpty()) {
            return;
        }
        recordReleases(c, fresh);
        Map<Key, List<Occurrence>> groups = new TreeMap<>();
        for (Occurrence o : fresh) {
            groups.computeIfAbsent(new Key(o.projectId(), o.grouping().fingerprint()), k -> new ArrayList<>()).add(o);
        }
        Map<Key, IssueRow> issues = upsertIssues(c, groups);
        writeActivities(c, groups, issues);
        countUsers(c, groups, issues);
        storeOccurrences(c, groups, issues, now);
        IssueSnoozes.release(c, ignoredIssues(groups, issues), now);
    }

    /** The batch's issues that were ignored when the upsert locked them, with their events in receipt order. */
    private static List<IssueSnoozes.IgnoredIssue> ignoredIssues(Map<Key, List<Occurrence>> groups,
            Map<Key, IssueRow> issues) {
        List<IssueSnoozes.IgnoredIssue> out = new ArrayList<>();
        for (Map.Entry<Key, List<Occurrence>> g : groups.entrySet()) {
            IssueRow row = issues.get(g.getKey());
            if (!row.created() && IssueStatus.IGNORED.equals(row.resolution().status())) {
                List<IssueSnoozes.Sighting> sightings = new ArrayList<>(g.getValue().size());
                for (Occurrence o : g.getValue()) {
                    sightings.add(new IssueSnoozes.Sighting(o.event().header().eventId(), o.receivedAt(),
                            o.event().header().user() == null ? null : o.event().header().user().identity()));
                }
                out.add(new IssueSnoozes.IgnoredIssue(g.getKey().projectId(), row.id(), sightings));
            }
        }
        return out;
    }

    /** Inserts the batch's event ids; returns the occurrences whose id was not applied before. */
    private static List<Occurrence> claimEventIds(Connection c, Map<EventKey, Occurrence> unique) throws SQLException {
        int n = unique.size();
        Long[] projects = new Long[n];
        String[] ids = new String[n];
        String[] received = new String[n];
        int i = 0;
        for (Map.Entry<EventKey, Occurrence> e : unique.entrySet()) { // sorted: a fixed lock order
            projects[i] = e.getKey().projectId();
            ids[i] = e.getKey().eventId();
            received[i] = (e.getValue().receivedAt()).toString();
            i++;
        }
        List<Occurrence> fresh = new ArrayList<>(n);
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO error_event_ids (project_id, event_id, received_at)
                SELECT * FROM unnest(?::bigint[], ?::text[], ?::timestamptz[])
                ON CONFLICT DO NOTHING RETURNING project_id, event_id""")) {
            ps.setArray(1, c.createArrayOf("bigint", projects));
            ps.setArray(2, c.createArrayOf("text", ids));
            ps.setArray(3, c.createArrayOf("text", received));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    fresh.add(unique.get(new EventKey(rs.getLong(1), rs.getString(2))));
                }
            }
        }
        fresh.sort(Comparator.comparing(Occurrence::receivedAt));
        return fresh;
    }

    /** Records when each release was first seen (the first sighting is kept). */
    private static void recordReleases(Connection c, List<Occurrence> fresh) throws SQLException {
        Map<EventKey, Instant> first = new TreeMap<>();
        for (Occurrence o : fresh) {
            if (o.release() != null) {
                first.merge(new EventKey(o.projectId(), o.release()), o.receivedAt(),
                        (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        if (first.isEmpty()) {
            return;
        }
        Long[] projects = new Long[first.size()];
        String[] versions = new String[first.size()];
        String[] seen = new String[first.size()];
        int i = 0;
        for (Map.Entry<EventKey, Instant> e : first.entrySet()) {
            projects[i] = e.getKey().projectId();
            versions[i] = e.getKey().eventId();
            seen[i] = (e.getValue()).toString();
            i++;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO release_first_seen (project_id, version, first_seen)
                SELECT * FROM unnest(?::bigint[], ?::text[], ?::timestamptz[]) ON CONFLICT DO NOTHING""")) {
            ps.setArray(1, c.createArrayOf("bigint", projects));
            ps.setArray(2, c.createArrayOf("text", versions));
            ps.setArray(3, c.createArrayOf("text", seen));
            ps.executeUpdate();
        }
    }

    /** Creates or updates the batch's issues in key order (taking their row locks) and counts the events. */
    private static Map<Key, IssueRow> upsertIssues(Connection c, Map<Key, List<Occurrence>> groups) throws SQLException {
        int n = groups.size();
        Long[] projects = new Long[n];
        Long[] counts = new Long[n];
        String[] fingerprints = new String[n];
        String[] configs = new String[n];
        String[] components = new String[n];
        String[] titles = new String[n];
        String[] culprits = new String[n];
        String[] levels = new String[n];
        String[] types = new String[n];
        String[] platforms = new String[n];
        String[] services = new String[n];
        String[] firstSeen = new String[n];
        String[] lastSeen = new String[n];
        String[] firstReleases = new String[n];
        String[] lastReleases = new String[n];
        String[] environments = new String[n];
        int i = 0;
        for (Map.Entry<Key, List<Occurrence>> g : groups.entrySet()) {
            List<Occurrence> os = g.getValue();
            Occurrence earliest = os.get(0);
            Occurrence latest = os.get(0);
            TreeSet<String> envs = new TreeSet<>();
            for (Occurrence o : os) {
                if (o.timestamp().isBefore(earliest.timestamp())) {
                    earliest = o;
                }
                if (!o.timestamp().isBefore(latest.timestamp())) {
                    latest = o;
                }
                if (o.event().header().service().environment() != null) {
                    envs.add(o.event().header().service().environment());
                }
            }
            ErrorEvent e = latest.event();
            projects[i] = g.getKey().projectId();
            fingerprints[i] = g.getKey().fingerprint();
            counts[i] = (long) os.size();
            configs[i] = latest.grouping().config();
            components[i] = json(latest.grouping().components());
            titles[i] = latest.grouping().title() != null ? latest.grouping().title() : IssueTitles.title(e);
            culprits[i] = IssueTitles.culprit(e);
            levels[i] = e.level();
            types[i] = IssueTitles.type(e);
            platforms[i] = e.platform();
            services[i] = e.header().service().name();
            firstSeen[i] = (earliest.timestamp()).toString();
            lastSeen[i] = (latest.timestamp()).toString();
            firstReleases[i] = earliest.release();
            lastReleases[i] = latest.release();
            environments[i] = json(envs);
            i++;
        }
        Map<Key, IssueRow> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO issues AS i (project_id, fingerprint, times_seen, grouping_config, grouping_components,
                                         title, culprit, level, type, platform, service_name, first_seen, last_seen,
                                         first_release, last_release, environments, active_at)
                SELECT u.p, u.f, u.n, u.cfg, u.comp::jsonb, u.title, u.culprit, u.level, u.type, u.platform, u.service,
                       u.first_seen, u.last_seen, u.first_release, u.last_release,
                       ARRAY(SELECT jsonb_array_elements_text(u.envs::jsonb)), now()
                  FROM unnest(?::bigint[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[],
                              ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[],
                              ?::text[], ?::text[], ?::text[])
                       AS u(p, f, n, cfg, comp, title, culprit, level, type, platform, service, first_seen, last_seen,
                            first_release, last_release, envs)
                ON CONFLICT (project_id, fingerprint) DO UPDATE SET
                       times_seen = i.times_seen + EXCLUDED.times_seen,
                       first_seen = LEAST(i.first_seen, EXCLUDED.first_seen),
                       last_seen = GREATEST(i.last_seen, EXCLUDED.last_seen),
                       title = CASE WHEN EXCLUDED.last_seen >= i.last_seen THEN EXCLUDED.title ELSE i.title END,
                       culprit = CASE WHEN EXCLUDED.last_seen >= i.last_seen THEN EXCLUDED.culprit ELSE i.culprit END,
                       level = CASE WHEN EXCLUDED.last_seen >= i.last_seen THEN EXCLUDED.level ELSE i.level END,
                       first_release = COALESCE(i.first_release, EXCLUDED.first_release),
                       last_release = CASE WHEN EXCLUDED.last_seen >= i.last_seen
                                           THEN COALESCE(EXCLUDED.last_release, i.last_release) ELSE i.last_release END,
                       environments = CASE WHEN i.environments @> EXCLUDED.environments THEN i.environments
                                           ELSE ARRAY(SELECT DISTINCT x FROM unnest(i.environments || EXCLUDED.environments) x
                                                      ORDER BY x) END
                RETURNING id, project_id, fingerprint, (xmax = 0), status, resolved_at, resolved_in_release,
                          resolved_after_release""")) {
            ps.setArray(1, c.createArrayOf("bigint", projects));
            ps.setArray(2, c.createArrayOf("text", fingerprints));
            ps.setArray(3, c.createArrayOf("bigint", counts));
            ps.setArray(4, c.createArrayOf("text", configs));
            ps.setArray(5, c.createArrayOf("text", components));
            ps.setArray(6, c.createArrayOf("text", titles));
            ps.setArray(7, c.createArrayOf("text", culprits));
            ps.setArray(8, c.createArrayOf("text", levels));
            ps.setArray(9, c.createArrayOf("text", types));
            ps.setArray(10, c.createArrayOf("text", platforms));
            ps.setArray(11, c.createArrayOf("text", services));
            ps.setArray(12, c.createArrayOf("text", firstSeen));
            ps.setArray(13, c.createArrayOf("text", lastSeen));
            ps.setArray(14, c.createArrayOf("text", firstReleases));
            ps.setArray(15, c.createArrayOf("text", lastReleases));
            ps.setArray(16, c.createArrayOf("text", environments));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp resolvedAt = rs.getTimestamp(6);
                    out.put(new Key(rs.getLong(2), rs.getString(3)), new IssueRow(rs.getLong(1), rs.getBoolean(4),
                            new RegressionPolicy.Resolution(rs.getString(5),
                                    resolvedAt == null ? null : resolvedAt.toInstant(), rs.getString(7),
                                    rs.getString(8))));
                }
            }
        }
        return out;
    }

    /** {@code first_seen} for created issues; reopens resolved issues that regressed, with one activity each. */
    private static void writeActivities(Connection c, Map<Key, List<Occurrence>> groups, Map<Key, IssueRow> issues)
            throws SQLException {
        List<Object[]> activities = new ArrayList<>();
        for (Map.Entry<Key, List<Occurrence>> g : groups.entrySet()) {
            IssueRow row = issues.get(g.getKey());
            Occurrence first = g.getValue().get(0);
            if (row.created()) {
                activities.add(new Object[] {g.getKey().projectId(), row.id(), IssueStatus.ACTIVITY_FIRST_SEEN,
                        json(eventData(first))});
            } else if (row.resolution().isResolved()) {
                Object[] regression = regress(c, g.getKey().projectId(), row, g.getValue());
                if (regression != null) {
                    activities.add(regression);
                }
            }
        }
        if (activities.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO issue_activity (project_id, issue_id, kind, data) VALUES (?, ?, ?, ?::jsonb)")) {
            for (Object[] a : activities) {
                ps.setLong(1, (Long) a[0]);
                ps.setLong(2, (Long) a[1]);
                ps.setString(3, (String) a[2]);
                ps.setString(4, (String) a[3]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static Object[] regress(Connection c, long projectId, IssueRow row, List<Occurrence> os)
            throws SQLException {
        RegressionPolicy.Resolution r = row.resolution();
        Map<String, Instant> known = new HashMap<>();
        for (String v : new String[] {r.resolvedInRelease(), r.resolvedAfterRelease()}) {
            if (v != null) {
                known.put(v, releaseFirstSeen(c, projectId, v));
            }
        }
        List<RegressionPolicy.Candidate> candidates = new ArrayList<>(os.size());
        for (Occurrence o : os) {
            candidates.add(new RegressionPolicy.Candidate(o.event().header().eventId(), o.release(), o.receivedAt()));
            if (o.release() != null && !known.containsKey(o.release())) {
                // the stored first sighting (recorded before this batch, or by it): not this batch's receipt time
                known.put(o.release(), releaseFirstSeen(c, projectId, o.release()));
            }
        }
        RegressionPolicy.Candidate culprit = RegressionPolicy.firstRegressing(r, candidates, known::get);
        if (culprit == null) {
            return null;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE issues SET status = 'unresolved', substatus = 'regressed', active_at = now(), resolved_at = NULL,
                       resolved_in_release = NULL, resolved_after_release = NULL
                 WHERE id = ? AND status IN ('resolved', 'resolved_in_next_release')""")) {
            ps.setLong(1, row.id());
            if (ps.executeUpdate() != 1) {
                return null;
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("event_id", culprit.eventId());
        data.put("version", culprit.release() == null ? "" : culprit.release());
        data.put("previous_status", r.status());
        if (r.resolvedInRelease() != null) {
            data.put("resolved_in_release", r.resolvedInRelease());
        }
        if (r.resolvedAfterRelease() != null) {
            data.put("resolved_after_release", r.resolvedAfterRelease());
        }
        return new Object[] {projectId, row.id(), IssueStatus.ACTIVITY_REGRESSION, json(data)};
    }

    private static Instant releaseFirstSeen(Connection c, long projectId, String version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT first_seen FROM release_first_seen WHERE project_id = ? AND version = ?")) {
            ps.setLong(1, projectId);
            ps.setString(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getTimestamp(1).toInstant() : null;
            }
        }
    }

    /** Adds the distinct users (id > username > email > ip) and raises users_affected by those not seen before. */
    private static void countUsers(Connection c, Map<Key, List<Occurrence>> groups, Map<Key, IssueRow> issues)
            throws SQLException {
        TreeMap<String, Object[]> rows = new TreeMap<>(); // issue id + identity, sorted: a fixed lock order
        for (Map.Entry<Key, List<Occurrence>> g : groups.entrySet()) {
            long issueId = issues.get(g.getKey()).id();
            for (Occurrence o : g.getValue()) {
                String identity = o.event().header().user() == null ? null : o.event().header().user().identity();
                if (identity != null) {
                    rows.putIfAbsent(String.format("%019d/%s", issueId, identity),
                            new Object[] {g.getKey().projectId(), issueId, identity});
                }
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        Long[] projects = new Long[rows.size()];
        Long[] issueIds = new Long[rows.size()];
        String[] identities = new String[rows.size()];
        int i = 0;
        for (Object[] r : rows.values()) {
            projects[i] = (Long) r[0];
            issueIds[i] = (Long) r[1];
            identities[i] = (String) r[2];
            i++;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                WITH added AS (
                    INSERT INTO issue_users (project_id, issue_id, identity)
                    SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::text[])
                    ON CONFLICT DO NOTHING RETURNING issue_id),
                per_issue AS (SELECT issue_id, count(*) AS n FROM added GROUP BY issue_id)
                UPDATE issues SET users_affected = users_affected + per_issue.n
                  FROM per_issue WHERE issues.id = per_issue.issue_id""")) {
            ps.setArray(1, c.createArrayOf("bigint", projects));
            ps.setArray(2, c.createArrayOf("bigint", issueIds));
            ps.setArray(3, c.createArrayOf("text", identities));
            ps.executeUpdate();
        }
    }

    /** Counts events per issue and minute exactly, and stores the occurrences that fit under the cap. */
    private void storeOccurrences(Connection c, Map<Key, List<Occurrence>> groups, Map<Key, IssueRow> issues,
            Instant now) throws SQLException {
        record Minute(long issueId, Instant minute) {
        }
        Map<Minute, List<Occurrence>> byMinute = new TreeMap<>(
                Comparator.comparingLong(Minute::issueId).thenComparing(Minute::minute));
        Map<Long, Long> projectOf = new HashMap<>();
        for (Map.Entry<Key, List<Occurrence>> g : groups.entrySet()) {
            long issueId = issues.get(g.getKey()).id();
            projectOf.put(issueId, g.getKey().projectId());
            for (Occurrence o : g.getValue()) {
                byMinute.computeIfAbsent(new Minute(issueId, o.receivedAt().truncatedTo(ChronoUnit.MINUTES)),
                        k -> new ArrayList<>()).add(o);
            }
        }
        int n = byMinute.size();
        Long[] projects = new Long[n];
        Long[] issueIds = new Long[n];
        String[] minutes = new String[n];
        Long[] counts = new Long[n];
        int i = 0;
        for (Map.Entry<Minute, List<Occurrence>> m : byMinute.entrySet()) {
            projects[i] = projectOf.get(m.getKey().issueId());
            issueIds[i] = m.getKey().issueId();
            minutes[i] = (m.getKey().minute()).toString();
            counts[i] = (long) m.getValue().size();
            i++;
        }
        List<Object[]> stored = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO issue_minute_counts AS m (project_id, issue_id, minute, events)
                SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::timestamptz[], ?::bigint[])
                ON CONFLICT (project_id, issue_id, minute) DO UPDATE SET events = m.events + EXCLUDED.events
                RETURNING issue_id, minute, events""")) {
            ps.setArray(1, c.createArrayOf("bigint", projects));
            ps.setArray(2, c.createArrayOf("bigint", issueIds));
            ps.setArray(3, c.createArrayOf("text", minutes));
            ps.setArray(4, c.createArrayOf("bigint", counts));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long issueId = rs.getLong(1);
                    List<Occurrence> os = byMinute.get(new Minute(issueId, rs.getTimestamp(2).toInstant()));
                    long before = rs.getLong(3) - os.size(); // events of that minute counted before this batch
                    long room = Math.max(0, Math.min(os.size(), maxStoredPerIssueMinute - before));
                    for (int k = 0; k < room; k++) {
                        if (retention.stores(os.get(k).receivedAt(), now)) {
                            stored.add(new Object[] {issueId, os.get(k)});
                        }
                    }
                }
            }
        }
        if (!stored.isEmpty()) {
            insertOccurrences(c, stored);
        }
    }

    private static void insertOccurrences(Connection c, List<Object[]> stored) throws SQLException {
        int n = stored.size();
        Long[] projects = new Long[n];
        String[] eventIds = new String[n];
        Long[] issueIds = new Long[n];
        String[] occurred = new String[n];
        String[] received = new String[n];
        String[] services = new String[n];
        String[] envs = new String[n];
        String[] releases = new String[n];
        String[] levels = new String[n];
        String[] messages = new String[n];
        String[] traces = new String[n];
        String[] transactions = new String[n];
        String[] users = new String[n];
        String[] payloads = new String[n];
        for (int i = 0; i < n; i++) {
            ErrorEvent e = ((Occurrence) stored.get(i)[1]).event();
            projects[i] = e.header().projectId();
            eventIds[i] = e.header().eventId();
            issueIds[i] = (Long) stored.get(i)[0];
            occurred[i] = (e.header().timestamp()).toString();
            received[i] = (e.header().receivedAt()).toString();
            services[i] = e.header().service().name();
            envs[i] = e.header().service().environment();
            releases[i] = e.header().service().version();
            levels[i] = e.level();
            messages[i] = e.message() != null ? e.message() : IssueTitles.title(e);
            traces[i] = e.trace() == null ? null : e.trace().traceId();
            transactions[i] = e.trace() == null ? null : e.trace().transactionId();
            users[i] = e.header().user() == null ? null : e.header().user().identity();
            payloads[i] = new String(EventCodec.encode(e), StandardCharsets.UTF_8);
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO error_events (project_id, event_id, issue_id, occurred_at, received_at, service_name,
                                          environment, release, level, message, trace_id, transaction_id,
                                          user_identity, payload)
                SELECT u.p, u.e, u.i, u.o, u.r, u.s, u.env, u.rel, u.l, u.m, u.t, u.tx, u.usr, u.payload::jsonb
                  FROM unnest(?::bigint[], ?::text[], ?::bigint[], ?::timestamptz[], ?::timestamptz[], ?::text[],
                              ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                       AS u(p, e, i, o, r, s, env, rel, l, m, t, tx, usr, payload)""")) {
            Array[] arrays = {c.createArrayOf("bigint", projects), c.createArrayOf("text", eventIds),
                    c.createArrayOf("bigint", issueIds), c.createArrayOf("text", occurred),
                    c.createArrayOf("text", received), c.createArrayOf("text", services),
                    c.createArrayOf("text", envs), c.createArrayOf("text", releases), c.createArrayOf("text", levels),
                    c.createArrayOf("text", messages), c.createArrayOf("text", traces),
                    c.createArrayOf("text", transactions), c.createArrayOf("text", users),
                    c.createArrayOf("text", payloads)};
            for (int i = 0; i < arrays.length; i++) {
                ps.setArray(i + 1, arrays[i]);
            }
            ps.executeUpdate();
        }
    }

    private static Map<String, Object> eventData(Occurrence o) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("event_id", o.event().header().eventId());
        data.put("version", Objects.requireNonNullElse(o.release(), ""));
        return data;
    }

    private static String json(Object value) {
        try {
            return EventCodec.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
