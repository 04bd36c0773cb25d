-- Issue 4: ignore with conditions (Sentry's "archive": GroupSnooze and the substatuses ARCHIVED_FOREVER,
-- ARCHIVED_UNTIL_ESCALATING, ARCHIVED_UNTIL_CONDITION_MET). Replaces V100's rule "status 'ignored' is never
-- reopened by the processor" for ignores that carry a condition.
--
-- IGNORED SUBSTATUS (issues.substatus while status = 'ignored'; written by the query service's ignore):
--   'archived_forever'              no condition: never reopened by the processor (V100's behaviour).
--   'archived_until_escalating'     reopened when the issue escalates (rule below).
--   'archived_until_condition_met'  reopened after N more events (optionally within a window), N more users
--                                   (optionally within a window), or when a duration has passed.
-- Rows ignored before this migration become 'archived_forever'. An 'archived_*' substatus is only valid on an
-- ignored issue; every other status change sets a non-archived substatus.
--
-- REOPENING ("unsnooze"): the condition's row in issue_snoozes (one per issue that is ignored with a condition;
-- none for 'archived_forever') is checked by the processor for every ignored issue it writes in a batch, while
-- the batch's upsert holds the issue row lock. When the condition is met it sets status 'unresolved', substatus
-- 'escalating', active_at = now, with UPDATE ... WHERE status = 'ignored', deletes the snooze, and writes exactly
-- one issue_activity row of kind 'set_escalating' (data: condition, the condition's parameters, event_id of the
-- event that met it, what was counted). A duration ('for_minutes') that ends also reopens issues that receive no
-- event: the processor's maintenance job (IssueMaintenance.expireSnoozes) does the same UPDATE for snoozes whose
-- "until" has passed, on rows it locks SKIP LOCKED. (Sentry likewise moves expired snoozes to escalating,
-- clear_expired_snoozes + manage_issue_states.) Any workflow write of the query service (resolve, unresolve,
-- ignore again) deletes the issue's snooze under the same row lock, so a snooze never outlives its ignore.
--
-- CONDITIONS (issue_snoozes.condition) and what is counted, all "since the ignore":
--   'for_minutes'        until = ignore time + N minutes; reopened by the first event written at or after it, or
--                        by the job.
--   'until_count'        event_count more events. Without a window: issues.times_seen - times_seen_at_ignore
--                        (exact; the ignore read times_seen under the row lock). With count_window_minutes M: the
--                        events since the ignore received in the M minutes (of receipt, issue_minute_counts) ending
--                        with the minute of the issue's newest event in the batch; events of the ignore's own
--                        minute counted before the ignore (minute_events_at_ignore) are subtracted.
--   'until_users'        user_count more users. Without a window: issues.users_affected - users_at_ignore (new
--                        distinct users, exact). With user_window_minutes M: distinct users seen since the ignore
--                        (issue_snooze_users, kept by the processor only for such snoozes) whose latest event was
--                        received within M minutes before the issue's newest event in the batch.
--   'until_escalating'   the events since the ignore in the last 60 minutes of receipt (counted as for a windowed
--                        'until_count') exceed max(10, 10 x hourly_average); hourly_average = events per hour over
--                        the 7 days before the ignore (issue_minute_counts: their events divided by the hours from
--                        the first minute with events in those 7 days to the ignore, at least 1), stored at ignore
--                        time. Needs issue_minute_counts kept >= 7 days (BEATLINE_RETENTION_ERROR_DAYS, default 30).
CREATE TABLE issue_snoozes (
    project_id              BIGINT           NOT NULL,
    issue_id                BIGINT           NOT NULL,
    condition               TEXT             NOT NULL
        CHECK (condition IN ('for_minutes', 'until_count', 'until_users', 'until_escalating')),
    ignored_at              TIMESTAMPTZ      NOT NULL,
    until                   TIMESTAMPTZ,
    event_count             BIGINT,
    count_window_minutes    INTEGER,
    user_count              BIGINT,
    user_window_minutes     INTEGER,
    times_seen_at_ignore    BIGINT           NOT NULL,
    users_at_ignore         BIGINT           NOT NULL,
    minute_events_at_ignore BIGINT           NOT NULL,
    hourly_average          DOUBLE PRECISION,
    actor                   TEXT,
    PRIMARY KEY (project_id, issue_id),
    CHECK ((condition = 'for_minutes') = (until IS NOT NULL)),
    CHECK ((condition = 'until_count') = (event_count IS NOT NULL)),
    CHECK ((condition = 'until_users') = (user_count IS NOT NULL)),
    CHECK ((condition = 'until_escalating') = (hourly_average IS NOT NULL))
);
-- The expiry job finds due durations without scanning the other snoozes.
CREATE INDEX issue_snoozes_until ON issue_snoozes (until) WHERE until IS NOT NULL;

-- Distinct users of an issue seen since it was ignored with a windowed 'until_users' condition, with the receipt
-- time of their latest event. Written only for such issues; deleted with the snooze.
CREATE TABLE issue_snooze_users (
    project_id BIGINT      NOT NULL,
    issue_id   BIGINT      NOT NULL,
    identity   TEXT        NOT NULL,
    last_seen  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (project_id, issue_id, identity)
);

ALTER TABLE issues DROP CONSTRAINT issues_substatus_valid;
UPDATE issues SET substatus = 'archived_forever' WHERE status = 'ignored';
ALTER TABLE issues
    ADD CONSTRAINT issues_substatus_valid
        CHECK (substatus IN ('new', 'regressed', 'ongoing', 'escalating', 'archived_forever',
                             'archived_until_escalating', 'archived_until_condition_met')),
    ADD CONSTRAINT issues_archived_only_when_ignored
        CHECK (substatus NOT IN ('archived_forever', 'archived_until_escalating', 'archived_until_condition_met')
               OR status = 'ignored');

-- Escalating issues become 'ongoing' after 7 days like new and regressed ones (Sentry moves ESCALATING to ONGOING
-- after 7 days too): the auto-ongoing job's partial index now covers them.
DROP INDEX issues_new_or_regressed;
CREATE INDEX issues_new_regressed_or_escalating ON issues (active_at)
    WHERE status = 'unresolved' AND substatus IN ('new', 'regressed', 'escalating');
