-- Query service: the time series of one transaction is asked by service and name (environment and type are
-- optional filters), which the primary keys cannot seek to without skipping over environment and type.
CREATE INDEX transaction_metrics_service_name ON transaction_metrics (project_id, service_name, transaction_name, bucket);
CREATE INDEX transaction_metrics_hourly_service_name
    ON transaction_metrics_hourly (project_id, service_name, transaction_name, hour);
