-- Query service, metrics side. The transaction, service and dependency metrics (per minute and per hour, with
-- duration histograms) are written by the processor in its batch transaction (V200); the query service reads
-- those tables and keeps no rollups of its own. It only adds the indexes its reads need (created on the
-- partitioned parents, so every existing and future partition gets them).

-- The time series of one transaction is asked by service and name (environment and type optional), which the
-- primary keys cannot seek to without skipping over environment and type.
CREATE INDEX transaction_metrics_service_name
    ON transaction_metrics (project_id, service_name, transaction_name, bucket);
CREATE INDEX transaction_metrics_hourly_service_name
    ON transaction_metrics_hourly (project_id, service_name, transaction_name, bucket);
-- The services overview reads every service of a project over a range.
CREATE INDEX service_metrics_project_bucket ON service_metrics (project_id, bucket);
CREATE INDEX service_metrics_hourly_project_bucket ON service_metrics_hourly (project_id, bucket);
-- A trace's spans are read by trace id (spans of kept transactions carry it).
CREATE INDEX trace_spans_trace ON trace_spans (project_id, trace_id) WHERE trace_id IS NOT NULL;
