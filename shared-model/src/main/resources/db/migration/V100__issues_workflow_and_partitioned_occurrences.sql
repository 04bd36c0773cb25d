-- Issue 4: issue workflow (status, substatus, resolution, activity log, environments, grouping components),
-- exact event-id dedup, and occurrences in day-partitioned tables.
--
-- STATUS SEMANTICS (issues.status / issues.substatus). The processor writes new issues and regressions; the
-- query service writes the workflow (resolve, ignore, unresolve, assign) and may rely on these rules:
--
--   status 'unresolved'               open. substatus: 'new' (created by the processor), 'regressed' (reopened
--                                     by the processor, see below), 'ongoing' (a person or a job decided it is
--                                     known), 'escalating' (reserved for an escalation job).
--   status 'resolved'                 resolved_at = when. resolved_in_release = the release that ships the fix,
--                                     or NULL when it is fixed "now" (no release).
--                                       * resolved_in_release NULL: any event RECEIVED after resolved_at reopens it
--                                         (events received before the resolution but processed later do not).
--                                       * resolved_in_release R: an event without a release never reopens it; an
--                                         event from R itself reopens it (the fix did not work); an event from a
--                                         release first seen after R (R never seen: after resolved_at) reopens it;
--                                         an event from an older release (an old deployment still running) does not.
--   status 'resolved_in_next_release' resolved_at = when. resolved_after_release = the release current when it was
--                                     resolved (normally issues.last_release at that moment), NULL if none.
--                                     An event from a release that is different from resolved_after_release AND
--                                     first seen after it (resolved_after_release NULL: first seen after
--                                     resolved_at) reopens it; the same release, older releases and events without
--                                     a release do not.
--   status 'ignored'                  never reopened by the processor (counts keep growing).
--
-- Reopening ("regression") sets status 'unresolved', substatus 'regressed', active_at = now, clears resolved_at,
-- resolved_in_release, resolved_after_release, and writes exactly one issue_activity row of kind 'regression'
-- (data: event_id, version, previous_status, resolved_in_release / resolved_after_release). It is race-safe: the
-- processor holds the issue row lock (taken by its upsert) for the whole batch transaction and reopens with
-- UPDATE ... WHERE status IN ('resolved','resolved_in_next_release'), so two processors seeing regressing
-- events at once produce one regression. A workflow write by the query service (UPDATE issues SET status = ...)
-- waits for that lock and therefore sees either the state before or after the batch, never half of it.
--
-- "First seen" of a release is the receipt time of the first event that carried it (release_first_seen below,
-- maintained by the processor), as Sentry orders releases by date_added when they are not semver.

ALTER TABLE issues
    ADD COLUMN environments           TEXT[]      NOT NULL DEFAULT '{}',
    ADD COLUMN grouping_components    JSONB       NOT NULL DEFAULT '[]',
    ADD COLUMN active_at              TIMESTAMPTZ,
    ADD COLUMN resolved_at            TIMESTAMPTZ,
    ADD COLUMN resolved_in_release    TEXT,
    ADD COLUMN resolved_after_release TEXT,
    ADD COLUMN assignee               TEXT,
    ADD CONSTRAINT issues_status_valid
        CHECK (status IN ('unresolved', 'resolved', 'resolved_in_next_release', 'ignored')),
    ADD CONSTRAINT issues_substatus_valid
        CHECK (substatus IN ('new', 'regressed', 'ongoing', 'escalating'));
CREATE INDEX issues_project_status_last_seen ON issues (project_id, status, last_seen DESC);

-- The activity log of an issue. kind: 'first_seen', 'regression' (processor); 'set_resolved',
-- 'set_resolved_in_release', 'set_resolved_in_next_release', 'set_unresolved', 'set_ignored', 'assigned',
-- 'unassigned', 'note', 'set_ongoing' (query service). actor: NULL for the system, else the person or token.
CREATE TABLE issue_activity (
    project_id BIGINT      NOT NULL,
    id         BIGSERIAL   PRIMARY KEY,
    issue_id   BIGINT      NOT NULL,
    kind       TEXT        NOT NULL,
    data       JSONB       NOT NULL DEFAULT '{}',
    actor      TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX issue_activity_issue ON issue_activity (project_id, issue_id, created_at);

-- When each release of a project was first seen in an event (orders releases for regression decisions).
CREATE TABLE release_first_seen (
    project_id BIGINT      NOT NULL,
    version    TEXT        NOT NULL,
    first_seen TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (project_id, version)
);

-- Every error event id applied, counted or not stored: the exact-once key. A partitioned table's primary key
-- must contain the partition key, so dedup lives here, unpartitioned and narrow. received_at tells which
-- error_events partition holds the occurrence (if it was stored); retention deletes ids older than the
-- oldest partition kept.
CREATE TABLE error_event_ids (
    project_id  BIGINT      NOT NULL,
    event_id    TEXT        NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (project_id, event_id)
);

-- Exact count of events per issue and minute of receipt. Bounds how many occurrences are STORED per issue
-- per minute (beatline.processor.max-stored-per-issue-minute) while times_seen stays exact; also the
-- per-minute frequency series of an issue.
CREATE TABLE issue_minute_counts (
    project_id BIGINT      NOT NULL,
    issue_id   BIGINT      NOT NULL,
    minute     TIMESTAMPTZ NOT NULL,
    events     BIGINT      NOT NULL,
    PRIMARY KEY (project_id, issue_id, minute)
);

-- Occurrences, partitioned by day of receipt (received_at, the intake's clock: always sane, unlike SDK
-- timestamps). Partitions are named error_events_pYYYYMMDD and created ahead by the processor (and on demand
-- for late or early events); retention drops whole partitions. The default partition is a safety net only.
-- V1's error_events held no data in any deployment, so it is replaced.
DROP TABLE error_events;
CREATE TABLE error_events (
    project_id     BIGINT      NOT NULL,
    event_id       TEXT        NOT NULL,
    issue_id       BIGINT      NOT NULL,
    occurred_at    TIMESTAMPTZ NOT NULL,
    received_at    TIMESTAMPTZ NOT NULL,
    stored_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    service_name   TEXT,
    environment    TEXT,
    release        TEXT,
    level          TEXT        NOT NULL,
    message        TEXT,
    trace_id       TEXT,
    transaction_id TEXT,
    user_identity  TEXT,
    payload        JSONB       NOT NULL,
    PRIMARY KEY (project_id, event_id, received_at)
) PARTITION BY RANGE (received_at);
CREATE INDEX error_events_issue ON error_events (project_id, issue_id, received_at DESC);
CREATE INDEX error_events_trace ON error_events (project_id, trace_id) WHERE trace_id IS NOT NULL;
CREATE TABLE error_events_default PARTITION OF error_events DEFAULT;
