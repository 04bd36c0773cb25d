-- Query service: stored occurrences per project, hour (of occurred_at), service and environment, so the services
-- overview counts errors of whole hours from one small row per service-hour instead of every occurrence (the
-- transaction side of the overview comes from V200's service_metrics tables). A missing service or environment
-- is stored as ''.
--
-- Kept by a STATEMENT-level trigger with a transition table on the partitioned error_events: one upsert per
-- insert statement (the processor inserts a batch's occurrences in one statement), counting only rows actually
-- inserted. Rows are upserted in key order so concurrent writers lock them in the same order.
-- Counts what is stored, i.e. after the processor's per-issue-minute storage cap (as the issue's occurrence list).
-- Retention: rows of hours older than the oldest error_events partition may be deleted with it.
CREATE TABLE service_error_counts_hourly (
    project_id   BIGINT      NOT NULL,
    hour         TIMESTAMPTZ NOT NULL,
    service_name TEXT        NOT NULL,
    environment  TEXT        NOT NULL,
    error_count  BIGINT      NOT NULL,
    PRIMARY KEY (project_id, hour, service_name, environment)
);

CREATE FUNCTION service_error_counts_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO service_error_counts_hourly AS s (project_id, hour, service_name, environment, error_count)
    SELECT project_id, date_trunc('hour', occurred_at), COALESCE(service_name, ''), COALESCE(environment, ''), count(*)
      FROM inserted
     GROUP BY 1, 2, 3, 4
     ORDER BY 1, 2, 3, 4
    ON CONFLICT (project_id, hour, service_name, environment) DO UPDATE SET error_count = s.error_count + EXCLUDED.error_count;
    RETURN NULL;
END $$;

CREATE TRIGGER service_error_counts_add AFTER INSERT ON error_events
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION service_error_counts_add();
