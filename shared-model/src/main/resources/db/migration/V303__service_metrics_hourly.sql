-- Query service: per service, environment and hour, the transaction totals and the error count, so the
-- services overview reads one small row per service-hour instead of every group's rows and every occurrence.
-- Kept by triggers: the transaction rollup function (V300) now also adds to it, and each new occurrence adds
-- one error. A missing environment or service is stored as '' (the API shows it as null).
CREATE TABLE service_metrics_hourly (
    project_id        BIGINT           NOT NULL,
    hour              TIMESTAMPTZ      NOT NULL,
    service_name      TEXT             NOT NULL,
    environment       TEXT             NOT NULL,
    transaction_count DOUBLE PRECISION NOT NULL DEFAULT 0,
    failure_count     DOUBLE PRECISION NOT NULL DEFAULT 0,
    sum_us            DOUBLE PRECISION NOT NULL DEFAULT 0,
    error_count       BIGINT           NOT NULL DEFAULT 0,
    PRIMARY KEY (project_id, hour, service_name, environment)
);

CREATE OR REPLACE FUNCTION transaction_metrics_roll_up() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    d_count   DOUBLE PRECISION := NEW.count - CASE WHEN TG_OP = 'UPDATE' THEN OLD.count ELSE 0 END;
    d_failure DOUBLE PRECISION := NEW.failure_count - CASE WHEN TG_OP = 'UPDATE' THEN OLD.failure_count ELSE 0 END;
    d_sum     DOUBLE PRECISION := NEW.sum_us - CASE WHEN TG_OP = 'UPDATE' THEN OLD.sum_us ELSE 0 END;
BEGIN
    INSERT INTO transaction_metrics_hourly AS h (project_id, hour, service_name, environment, transaction_type,
                                                 transaction_name, count, failure_count, sum_us, min_us, max_us)
    VALUES (NEW.project_id, date_trunc('hour', NEW.bucket), NEW.service_name, NEW.environment, NEW.transaction_type,
            NEW.transaction_name, d_count, d_failure, d_sum, NEW.min_us, NEW.max_us)
    ON CONFLICT (project_id, service_name, environment, transaction_type, transaction_name, hour)
    DO UPDATE SET count = h.count + EXCLUDED.count, failure_count = h.failure_count + EXCLUDED.failure_count,
                  sum_us = h.sum_us + EXCLUDED.sum_us, min_us = LEAST(h.min_us, EXCLUDED.min_us),
                  max_us = GREATEST(h.max_us, EXCLUDED.max_us);
    INSERT INTO service_metrics_hourly AS s (project_id, hour, service_name, environment, transaction_count,
                                             failure_count, sum_us)
    VALUES (NEW.project_id, date_trunc('hour', NEW.bucket), NEW.service_name, NEW.environment, d_count, d_failure, d_sum)
    ON CONFLICT (project_id, hour, service_name, environment)
    DO UPDATE SET transaction_count = s.transaction_count + EXCLUDED.transaction_count,
                  failure_count = s.failure_count + EXCLUDED.failure_count, sum_us = s.sum_us + EXCLUDED.sum_us;
    RETURN NULL;
END $$;

CREATE FUNCTION error_events_count_up() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO service_metrics_hourly AS s (project_id, hour, service_name, environment, error_count)
    VALUES (NEW.project_id, date_trunc('hour', NEW.occurred_at), COALESCE(NEW.service_name, ''),
            COALESCE(NEW.environment, ''), 1)
    ON CONFLICT (project_id, hour, service_name, environment) DO UPDATE SET error_count = s.error_count + 1;
    RETURN NULL;
END $$;

CREATE TRIGGER error_events_count_up AFTER INSERT ON error_events
    FOR EACH ROW EXECUTE FUNCTION error_events_count_up();

INSERT INTO service_metrics_hourly AS s (project_id, hour, service_name, environment, transaction_count, failure_count,
                                         sum_us, error_count)
SELECT project_id, hour, service_name, environment, SUM(tc), SUM(fc), SUM(su), SUM(ec)
  FROM (SELECT project_id, hour, service_name, environment, count tc, failure_count fc, sum_us su, 0 ec
          FROM transaction_metrics_hourly
        UNION ALL
        SELECT project_id, date_trunc('hour', occurred_at), COALESCE(service_name, ''), COALESCE(environment, ''),
               0, 0, 0, count(*)
          FROM error_events GROUP BY 1, 2, 3, 4) x
 GROUP BY 1, 2, 3, 4;
