-- Query service, issues side (measured with query-service/bench; see NOTES-issue-6-query.md).
-- Issue list sorts: descending key + id tie-breaker, for keyset pagination.
CREATE INDEX issues_project_first_seen ON issues (project_id, first_seen DESC, id DESC);
CREATE INDEX issues_project_times_seen ON issues (project_id, times_seen DESC, id DESC);
CREATE INDEX issues_project_users ON issues (project_id, users_affected DESC, id DESC);
-- Issue list filters on occurrences (EXISTS per issue), on the day-partitioned error_events of V100.
CREATE INDEX error_events_issue_environment ON error_events (project_id, issue_id, environment);
CREATE INDEX error_events_issue_release ON error_events (project_id, issue_id, release);
-- Occurrences of an issue newest first (keyset on occurred_at, event_id), its latest event and histogram.
CREATE INDEX error_events_issue_occurred ON error_events (project_id, issue_id, occurred_at DESC, event_id DESC);
-- Error counts per service and environment at the edges of a range (services overview), index-only.
CREATE INDEX error_events_project_time ON error_events (project_id, occurred_at) INCLUDE (service_name, environment);
