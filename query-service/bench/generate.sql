-- Benchmark dataset for the query API (run by run.sh through psql after the query service migrated the schema):
-- project "bench" with 10,000 issues, 1,000,000 occurrences over 30 days (skewed: a few issues are hot),
-- and 30 days of minute metrics for 200 transaction groups (20 services x 10 names), 8,640,000 rows.
-- Set-based INSERT ... SELECT generate_series throughout; the rollup trigger is bypassed during the bulk load
-- (session_replication_role = replica) and the hourly rollups are built once from the minute rows instead.
\set ON_ERROR_STOP on
\timing on
SET synchronous_commit = off;
SET session_replication_role = replica;

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
                                 result, outcome, count, failure_count, sum_us, min_us, max_us)
SELECT :pid, m.bucket, 'service-' || (grp % 20), 'production', 'request',
       (ARRAY['GET', 'POST', 'PUT', 'DELETE'])[1 + grp % 4] || ' /api/resource' || (grp / 20),
       'HTTP 2xx', 'success', c.n, floor(c.n * (grp % 7) / 100.0), c.n * (20000 + grp * 500), 5000, 900000 + grp
  FROM generate_series(0, 199) grp,
       generate_series(date_trunc('minute', now()) - interval '30 days', date_trunc('minute', now()), interval '1 minute') m(bucket),
       LATERAL (SELECT 1 + ((extract(epoch FROM m.bucket)::bigint / 60 + grp) % 30) AS n) c;

INSERT INTO transaction_metrics_hourly (project_id, hour, service_name, environment, transaction_type, transaction_name,
                                        count, failure_count, sum_us, min_us, max_us)
SELECT project_id, date_trunc('hour', bucket), service_name, environment, transaction_type, transaction_name,
       SUM(count), SUM(failure_count), SUM(sum_us), MIN(min_us), MAX(max_us)
  FROM transaction_metrics WHERE project_id = :pid GROUP BY 1, 2, 3, 4, 5, 6
ON CONFLICT (project_id, service_name, environment, transaction_type, transaction_name, hour)
DO UPDATE SET count = EXCLUDED.count, failure_count = EXCLUDED.failure_count, sum_us = EXCLUDED.sum_us,
              min_us = EXCLUDED.min_us, max_us = EXCLUDED.max_us;

INSERT INTO service_metrics_hourly (project_id, hour, service_name, environment, transaction_count, failure_count,
                                    sum_us, error_count)
SELECT project_id, hour, service_name, environment, SUM(tc), SUM(fc), SUM(su), SUM(ec)
  FROM (SELECT project_id, hour, service_name, environment, count tc, failure_count fc, sum_us su, 0 ec
          FROM transaction_metrics_hourly WHERE project_id = :pid
        UNION ALL
        SELECT project_id, date_trunc('hour', occurred_at), COALESCE(service_name, ''), COALESCE(environment, ''),
               0, 0, 0, count(*)
          FROM error_events WHERE project_id = :pid GROUP BY 1, 2, 3, 4) x
 GROUP BY 1, 2, 3, 4
ON CONFLICT (project_id, hour, service_name, environment)
DO UPDATE SET transaction_count = EXCLUDED.transaction_count, failure_count = EXCLUDED.failure_count,
              sum_us = EXCLUDED.sum_us, error_count = EXCLUDED.error_count;

SET session_replication_role = origin;
VACUUM ANALYZE;
SELECT (SELECT count(*) FROM issues WHERE project_id = :pid) AS issues,
       (SELECT count(*) FROM error_events WHERE project_id = :pid) AS occurrences,
       (SELECT count(*) FROM transaction_metrics WHERE project_id = :pid) AS minute_rows,
       (SELECT count(*) FROM transaction_metrics_hourly WHERE project_id = :pid) AS hourly_rows;
