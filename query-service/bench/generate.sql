-- Benchmark dataset for the query API (run by run.sh through psql after the query service migrated the schema):
-- project "bench" with 10,000 issues, 1,000,000 occurrences over 30 days (skewed: a few issues are hot),
-- and 30 days of minute metrics for 200 transaction groups (20 services x 10 names), 8,640,000 rows, with the
-- processor's per-hour rows, service rows (per minute and hour) and dependency rows (3 per service; per hour for 30
-- days, per minute for the last 2 days). Histograms are picked from the variants BenchHistograms.java prints
-- (loaded by run.sh into table bench_histogram_hex, dropped at the end). Set-based INSERT ... SELECT generate_series throughout; the error-count
-- trigger is bypassed during the bulk load (session_replication_role = replica) and its table built once instead.
-- Partitions are created as the processor names them.
\set ON_ERROR_STOP on
\timing on
SET synchronous_commit = off;
SET session_replication_role = replica;

DO $$
DECLARE d date;
BEGIN
    FOR d IN SELECT generate_series(current_date - 32, current_date + 2, interval '1 day')::date LOOP
        EXECUTE format('CREATE TABLE IF NOT EXISTS error_events_p%s PARTITION OF error_events FOR VALUES FROM (%L) TO (%L)',
                       to_char(d, 'YYYYMMDD'), d::timestamptz, (d + 1)::timestamptz);
        EXECUTE format('CREATE TABLE IF NOT EXISTS transaction_metrics_p%s PARTITION OF transaction_metrics FOR VALUES FROM (%L) TO (%L)',
                       to_char(d, 'YYYYMMDD'), d::timestamptz, (d + 1)::timestamptz);
        EXECUTE format('CREATE TABLE IF NOT EXISTS service_metrics_p%s PARTITION OF service_metrics FOR VALUES FROM (%L) TO (%L)',
                       to_char(d, 'YYYYMMDD'), d::timestamptz, (d + 1)::timestamptz);
        EXECUTE format('CREATE TABLE IF NOT EXISTS dependency_metrics_p%s PARTITION OF dependency_metrics FOR VALUES FROM (%L) TO (%L)',
                       to_char(d, 'YYYYMMDD'), d::timestamptz, (d + 1)::timestamptz);
    END LOOP;
    FOR d IN SELECT generate_series(date_trunc('month', current_date - 32), current_date + 2, interval '1 month')::date LOOP
        EXECUTE format('CREATE TABLE IF NOT EXISTS transaction_metrics_hourly_p%s PARTITION OF transaction_metrics_hourly FOR VALUES FROM (%L) TO (%L)',
                       to_char(d, 'YYYYMM'), d::timestamptz, (d + interval '1 month')::timestamptz);
        EXECUTE format('CREATE TABLE IF NOT EXISTS service_metrics_hourly_p%s PARTITION OF service_metrics_hourly FOR VALUES FROM (%L) TO (%L)',
                       to_char(d, 'YYYYMM'), d::timestamptz, (d + interval '1 month')::timestamptz);
        EXECUTE format('CREATE TABLE IF NOT EXISTS dependency_metrics_hourly_p%s PARTITION OF dependency_metrics_hourly FOR VALUES FROM (%L) TO (%L)',
                       to_char(d, 'YYYYMM'), d::timestamptz, (d + interval '1 month')::timestamptz);
    END LOOP;
END $$;

-- bench_histogram_hex was loaded by run.sh (\copy cannot take a psql variable as its file)
CREATE TEMP TABLE bench_histograms AS SELECT kind, variant, decode(hex, 'hex') AS h FROM bench_histogram_hex;

INSERT INTO projects (slug, name) VALUES ('bench', 'Benchmark') ON CONFLICT (slug) DO NOTHING;
SELECT id AS pid FROM projects WHERE slug = 'bench' \gset

-- issues: 20 services, levels and statuses in realistic proportions; counts fixed up from occurrences below
INSERT INTO issues (project_id, fingerprint, grouping_config, title, culprit, level, type, platform, service_name,
                    status, substatus, first_seen, last_seen, times_seen, users_affected, first_release, last_release)
SELECT :pid, md5('bench-' || g), 'bench',
       (ARRAY['IllegalStateException', 'NullPointerException', 'SocketTimeoutException', 'SQLException',
              'IOException'])[1 + g % 5] || ': failure number ' || g || ' in ' || (ARRAY['payment', 'checkout',
              'inventory', 'login', 'search', 'mail'])[1 + g % 6],
       'com.example.svc' || (g % 20) || '.Handler' || (g % 97) || ' in handle',
       (ARRAY['error', 'error', 'error', 'warning', 'fatal', 'info'])[1 + g % 6],
       'Exception', 'java', 'service-' || (g % 20),
       CASE WHEN g % 10 < 7 THEN 'unresolved' WHEN g % 10 < 9 THEN 'resolved' ELSE 'ignored' END, 'ongoing',
       now(), now(), 0, 0, '1.' || (g % 10), '1.' || (g % 10)
  FROM generate_series(1, 10000) g;

SELECT min(id) AS first_issue FROM issues WHERE project_id = :pid \gset

-- 1,000,000 occurrences; issue chosen with random()^3 so the first issues get most of them
INSERT INTO error_events (project_id, event_id, issue_id, occurred_at, received_at, service_name, environment, release,
                          level, message, trace_id, transaction_id, payload)
SELECT :pid, md5('ev-' || g), i.issue, i.at, i.at, 'service-' || ((i.issue - :first_issue) % 20), i.env, i.rel, 'error',
       'failure number ' || (i.issue - :first_issue),
       md5('trace-' || g), left(md5('tx-' || g), 16),
       jsonb_build_object(
           'header', jsonb_build_object('schema', 1, 'eventId', md5('ev-' || g), 'projectId', :pid,
               'receivedAt', i.at, 'timestamp', i.at, 'source', 'SENTRY',
               'service', jsonb_build_object('name', 'service-' || ((i.issue - :first_issue) % 20), 'version', i.rel,
                                             'environment', i.env),
               'user', jsonb_build_object('id', 'user-' || (g % 5000)),
               'labels', jsonb_build_object('tenant', 'tenant-' || (g % 37), 'region', (ARRAY['eu', 'us', 'ap'])[1 + g % 3])),
           'level', 'error', 'message', 'failure number ' || (i.issue - :first_issue), 'platform', 'java',
           'exceptions', jsonb_build_array(jsonb_build_object('type', 'java.lang.IllegalStateException',
               'value', 'failure number ' || (i.issue - :first_issue), 'frames', jsonb_build_array(
                   jsonb_build_object('function', 'run', 'module', 'java.lang.Thread', 'filename', 'Thread.java',
                                      'lineno', 833, 'inApp', false),
                   jsonb_build_object('function', 'handle', 'module', 'com.example.Handler', 'filename', 'Handler.java',
                                      'lineno', 10 + g % 50, 'inApp', true)))),
           'request', jsonb_build_object('method', 'POST', 'url', 'https://shop.example.com/checkout'),
           'contexts', jsonb_build_object(
               'browser', jsonb_build_object('name', (ARRAY['Chrome', 'Firefox', 'Safari', 'Edge'])[1 + g % 4]),
               'os', jsonb_build_object('name', (ARRAY['Windows', 'macOS', 'Linux', 'Android', 'iOS'])[1 + g % 5])))
  FROM (SELECT g, :first_issue + floor(10000 * power(random(), 3))::bigint AS issue,
               now() - random() * interval '30 days' AS at,
               (ARRAY['production', 'production', 'production', 'staging'])[1 + g % 4] AS env,
               '1.' || (g % 10) AS rel
          FROM generate_series(1, 1000000) g) i;

INSERT INTO issue_users (project_id, issue_id, identity)
SELECT DISTINCT project_id, issue_id, 'id:' || (payload #>> '{header,user,id}') FROM error_events WHERE project_id = :pid;

UPDATE issues i SET times_seen = s.n, first_seen = s.first, last_seen = s.last, users_affected = u.users
  FROM (SELECT issue_id, count(*) n, min(occurred_at) first, max(occurred_at) last FROM error_events
         WHERE project_id = :pid GROUP BY issue_id) s,
       (SELECT issue_id, count(*) users FROM issue_users WHERE project_id = :pid GROUP BY issue_id) u
 WHERE i.project_id = :pid AND s.issue_id = i.id AND u.issue_id = i.id;
-- issues that drew no occurrence stay, seen long ago
UPDATE issues SET first_seen = now() - interval '40 days', last_seen = now() - interval '35 days'
 WHERE project_id = :pid AND times_seen = 0;

-- 200 groups x 43,200 minutes
INSERT INTO transaction_metrics (project_id, bucket, service_name, environment, transaction_type, transaction_name,
                                 result, outcome, count, success_count, failure_count, sum_us, min_us, max_us, histogram)
SELECT :pid, m.bucket, 'service-' || (grp % 20), 'production', 'request',
       (ARRAY['GET', 'POST', 'PUT', 'DELETE'])[1 + grp % 4] || ' /api/resource' || (grp / 20),
       'HTTP 2xx', 'success', c.n, c.n - floor(c.n * (grp % 7) / 100.0), floor(c.n * (grp % 7) / 100.0),
       c.n * (20000 + grp * 500), 5000, 900000 + grp, bh.h
  FROM generate_series(0, 199) grp,
       generate_series(date_trunc('minute', now()) - interval '30 days', date_trunc('minute', now()), interval '1 minute') m(bucket),
       LATERAL (SELECT 1 + ((extract(epoch FROM m.bucket)::bigint / 60 + grp) % 30) AS n) c,
       bench_histograms bh
 WHERE bh.kind = 'minute' AND bh.variant = (extract(epoch FROM m.bucket)::bigint / 60 + grp) % 64;

INSERT INTO transaction_metrics_hourly (project_id, bucket, service_name, environment, transaction_type, transaction_name,
                                        result, outcome, count, success_count, failure_count, sum_us, min_us, max_us,
                                        histogram)
SELECT t.*, bh.h
  FROM (SELECT project_id, date_trunc('hour', bucket) AS bucket, service_name, environment, transaction_type,
               transaction_name, result, outcome, SUM(count), SUM(success_count), SUM(failure_count), SUM(sum_us),
               MIN(min_us), MAX(max_us)
          FROM transaction_metrics WHERE project_id = :pid GROUP BY 1, 2, 3, 4, 5, 6, 7, 8) t,
       bench_histograms bh
 WHERE bh.kind = 'hour' AND bh.variant = (extract(epoch FROM t.bucket)::bigint / 3600 + length(t.transaction_name)) % 64;

INSERT INTO service_metrics (project_id, bucket, service_name, environment, transaction_type, count, success_count,
                             failure_count, sum_us, min_us, max_us, histogram)
SELECT t.*, bh.h
  FROM (SELECT project_id, bucket, service_name, environment, transaction_type, SUM(count), SUM(success_count),
               SUM(failure_count), SUM(sum_us), MIN(min_us), MAX(max_us)
          FROM transaction_metrics WHERE project_id = :pid GROUP BY 1, 2, 3, 4, 5) t,
       bench_histograms bh
 WHERE bh.kind = 'minute' AND bh.variant = (extract(epoch FROM t.bucket)::bigint / 60) % 64;

INSERT INTO service_metrics_hourly (project_id, bucket, service_name, environment, transaction_type, count,
                                    success_count, failure_count, sum_us, min_us, max_us, histogram)
SELECT t.*, bh.h
  FROM (SELECT project_id, bucket, service_name, environment, transaction_type, SUM(count), SUM(success_count),
               SUM(failure_count), SUM(sum_us), MIN(min_us), MAX(max_us)
          FROM transaction_metrics_hourly WHERE project_id = :pid GROUP BY 1, 2, 3, 4, 5) t,
       bench_histograms bh
 WHERE bh.kind = 'hour' AND bh.variant = (extract(epoch FROM t.bucket)::bigint / 3600) % 64;

-- 3 destinations per service: per hour over 30 days, per minute over the last 2 days
INSERT INTO dependency_metrics_hourly (project_id, bucket, service_name, environment, span_type, span_subtype, resource,
                                       target_type, target_name, count, success_count, failure_count, sum_us, min_us,
                                       max_us, histogram)
SELECT :pid, h.bucket, 'service-' || s, 'production', d.type, d.subtype, d.resource, d.subtype, '', 600, 597, 3,
       600 * 8000, 500, 400000, bh.h
  FROM generate_series(0, 19) s,
       generate_series(date_trunc('hour', now()) - interval '30 days', date_trunc('hour', now()), interval '1 hour') h(bucket),
       (VALUES ('db', 'postgresql', 'postgresql'), ('cache', 'redis', 'redis'), ('external', 'http', 'payments:443'))
           d(type, subtype, resource),
       bench_histograms bh
 WHERE bh.kind = 'hour' AND bh.variant = (extract(epoch FROM h.bucket)::bigint / 3600 + s) % 64;

INSERT INTO dependency_metrics (project_id, bucket, service_name, environment, span_type, span_subtype, resource,
                                target_type, target_name, count, success_count, failure_count, sum_us, min_us, max_us,
                                histogram)
SELECT :pid, m.bucket, 'service-' || s, 'production', d.type, d.subtype, d.resource, d.subtype, '', 10, 10, 0,
       10 * 8000, 500, 400000, bh.h
  FROM generate_series(0, 19) s,
       generate_series(date_trunc('minute', now()) - interval '2 days', date_trunc('minute', now()), interval '1 minute') m(bucket),
       (VALUES ('db', 'postgresql', 'postgresql'), ('cache', 'redis', 'redis'), ('external', 'http', 'payments:443'))
           d(type, subtype, resource),
       bench_histograms bh
 WHERE bh.kind = 'minute' AND bh.variant = (extract(epoch FROM m.bucket)::bigint / 60 + s) % 64;

INSERT INTO service_error_counts_hourly (project_id, hour, service_name, environment, error_count)
SELECT project_id, date_trunc('hour', occurred_at), COALESCE(service_name, ''), COALESCE(environment, ''), count(*)
  FROM error_events WHERE project_id = :pid GROUP BY 1, 2, 3, 4;

DROP TABLE bench_histogram_hex;
SET session_replication_role = origin;
VACUUM ANALYZE;
SELECT (SELECT count(*) FROM issues WHERE project_id = :pid) AS issues,
       (SELECT count(*) FROM error_events WHERE project_id = :pid) AS occurrences,
       (SELECT count(*) FROM transaction_metrics WHERE project_id = :pid) AS minute_rows,
       (SELECT count(*) FROM transaction_metrics_hourly WHERE project_id = :pid) AS hourly_rows,
       (SELECT count(*) FROM error_events_default) AS occurrences_outside_day_partitions;
