-- Query service: an hourly rollup of transaction_metrics, so ranges of days read ~60x fewer rows.
-- Kept exact by a trigger on every insert/update of a minute row (the processor upserts minute rows by adding
-- to them, so the rollup adds NEW - OLD). Grouped without result/outcome: the API does not split by them.
-- Retention must delete from both tables (deleting minute rows does not touch the rollup).
CREATE TABLE transaction_metrics_hourly (
    project_id       BIGINT           NOT NULL,
    hour             TIMESTAMPTZ      NOT NULL,
    service_name     TEXT             NOT NULL,
    environment      TEXT             NOT NULL,
    transaction_type TEXT             NOT NULL,
    transaction_name TEXT             NOT NULL,
    count            DOUBLE PRECISION NOT NULL,
    failure_count    DOUBLE PRECISION NOT NULL,
    sum_us           DOUBLE PRECISION NOT NULL,
    min_us           BIGINT           NOT NULL,
    max_us           BIGINT           NOT NULL,
    PRIMARY KEY (project_id, service_name, environment, transaction_type, transaction_name, hour)
);
CREATE INDEX transaction_metrics_hourly_project_hour ON transaction_metrics_hourly (project_id, hour);

CREATE FUNCTION transaction_metrics_roll_up() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO transaction_metrics_hourly AS h (project_id, hour, service_name, environment, transaction_type,
                                                 transaction_name, count, failure_count, sum_us, min_us, max_us)
    VALUES (NEW.project_id, date_trunc('hour', NEW.bucket), NEW.service_name, NEW.environment, NEW.transaction_type,
            NEW.transaction_name,
            NEW.count - CASE WHEN TG_OP = 'UPDATE' THEN OLD.count ELSE 0 END,
            NEW.failure_count - CASE WHEN TG_OP = 'UPDATE' THEN OLD.failure_count ELSE 0 END,
            NEW.sum_us - CASE WHEN TG_OP = 'UPDATE' THEN OLD.sum_us ELSE 0 END,
            NEW.min_us, NEW.max_us)
    ON CONFLICT (project_id, service_name, environment, transaction_type, transaction_name, hour)
    DO UPDATE SET count = h.count + EXCLUDED.count, failure_count = h.failure_count + EXCLUDED.failure_count,
                  sum_us = h.sum_us + EXCLUDED.sum_us, min_us = LEAST(h.min_us, EXCLUDED.min_us),
                  max_us = GREATEST(h.max_us, EXCLUDED.max_us);
    RETURN NULL;
END $$;

CREATE TRIGGER transaction_metrics_roll_up AFTER INSERT OR UPDATE ON transaction_metrics
    FOR EACH ROW EXECUTE FUNCTION transaction_metrics_roll_up();

INSERT INTO transaction_metrics_hourly (project_id, hour, service_name, environment, transaction_type, transaction_name,
                                        count, failure_count, sum_us, min_us, max_us)
SELECT project_id, date_trunc('hour', bucket), service_name, environment, transaction_type, transaction_name,
       SUM(count), SUM(failure_count), SUM(sum_us), MIN(min_us), MAX(max_us)
  FROM transaction_metrics GROUP BY 1, 2, 3, 4, 5, 6;
