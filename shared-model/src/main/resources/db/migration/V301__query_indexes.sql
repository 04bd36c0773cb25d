-- Query service indexes (measured with query-service/bench; see NOTES-issue-6-query.md).
-- Issue list sorts: descending key + id tie-breaker, for keyset pagination.
CREATE INDEX issues_project_first_seen ON issues (project_id, first_seen DESC, id DESC);
CREATE INDEX issues_project_times_seen ON issues (project_id, times_seen DESC, id DESC);
CREATE INDEX issues_project_users ON issues (project_id, users_affected DESC, id DESC);
-- Issue list filters on occurrences (EXISTS per issue).
CREATE INDEX error_events_issue_environment ON error_events (project_id, issue_id, environment);
CREATE INDEX error_events_issue_release ON error_events (project_id, issue_id, release);
-- Error counts per service and environment over a range (services overview), index-only.
CREATE INDEX error_events_project_time ON error_events (project_id, occurred_at) INCLUDE (service_name, environment);
