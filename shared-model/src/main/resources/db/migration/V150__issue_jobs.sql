-- Issue 4 scheduled jobs (processor-service issues.IssueMaintenance).
--
-- Retention prunes error_event_ids (by received_at) and issue_minute_counts (by minute) in small chunks. Both
-- tables are appended in roughly time order, so BRIN indexes find the old rows at almost no cost per insert
-- (a B-tree on the time column would add a write to every event).
CREATE INDEX error_event_ids_received_at ON error_event_ids USING brin (received_at);
CREATE INDEX issue_minute_counts_minute ON issue_minute_counts USING brin (minute);

-- The auto-ongoing job: unresolved issues still 'new' or 'regressed' become 'ongoing' once active_at (set by
-- the processor when it created or reopened the issue) is 7 days old, with an issue_activity row of kind
-- 'auto_set_ongoing' (Sentry's AUTO_SET_ONGOING; data: previous_substatus, after_days). The index holds only
-- those issues, so the job never scans the whole table.
CREATE INDEX issues_new_or_regressed ON issues (active_at)
    WHERE status = 'unresolved' AND substatus IN ('new', 'regressed');
