-- Metrics with histograms, per minute (partitioned by day) and per hour (partitioned by month); agent
-- metricsets as time series; trace samples. Partitions are created by the processor (on demand when it writes,
-- and ahead of time by its retention job, which also drops expired ones): see dev.beatline.processor.metrics.Partitions.
--
-- Measures shared by the histogram tables: count, success_count, failure_count are representative counts
-- (1/sample_rate each, so fractional); sum_us is the sum of durations × representative count; min_us/max_us
-- are raw durations; histogram is an HdrHistogram (µs, 2 significant digits, counts ×1000) in HdrHistogram's
-- compressed encoding, read with dev.beatline.metricsmodel.DurationHistogram / LatencyPercentiles.

-- The V1 table was never written: replaced by a partitioned one with the same columns plus the new measures.
DROP TABLE transaction_metrics;

CREATE TABLE transaction_metrics (
    project_id       BIGINT           NOT NULL,
    bucket           TIMESTAMPTZ      NOT NULL,
    service_name     TEXT             NOT NULL,
    environment      TEXT             NOT NULL,
    transaction_type TEXT             NOT NULL,
    transaction_name TEXT             NOT NULL,
    result           TEXT             NOT NULL,
    outcome          TEXT             NOT NULL,
    count            DOUBLE PRECISION NOT NULL,
    success_count    DOUBLE PRECISION NOT NULL,
    failure_count    DOUBLE PRECISION NOT NULL,
    sum_us           DOUBLE PRECISION NOT NULL,
    min_us           BIGINT           NOT NULL,
    max_us           BIGINT           NOT NULL,
    histogram        BYTEA            NOT NULL,
    PRIMARY KEY (project_id, service_name, environment, transaction_type, transaction_name, result, outcome, bucket)
) PARTITION BY RANGE (bucket);
CREATE INDEX transaction_metrics_project_bucket ON transaction_metrics (project_id, bucket);

CREATE TABLE transaction_metrics_hourly (
    project_id       BIGINT           NOT NULL,
    bucket           TIMESTAMPTZ      NOT NULL,
    service_name     TEXT             NOT NULL,
    environment      TEXT             NOT NULL,
    transaction_type TEXT             NOT NULL,
    transaction_name TEXT             NOT NULL,
    result           TEXT             NOT NULL,
    outcome          TEXT             NOT NULL,
    count            DOUBLE PRECISION NOT NULL,
    success_count    DOUBLE PRECISION NOT NULL,
    failure_count    DOUBLE PRECISION NOT NULL,
    sum_us           DOUBLE PRECISION NOT NULL,
    min_us           BIGINT           NOT NULL,
    max_us           BIGINT           NOT NULL,
    histogram        BYTEA            NOT NULL,
    PRIMARY KEY (project_id, service_name, environment, transaction_type, transaction_name, result, outcome, bucket)
) PARTITION BY RANGE (bucket);
CREATE INDEX transaction_metrics_hourly_project_bucket ON transaction_metrics_hourly (project_id, bucket);

-- Service level (apm-server's service_transaction): throughput, failure rate, latency per service,
-- environment and transaction type without reading every transaction group.
CREATE TABLE service_metrics (
    project_id       BIGINT           NOT NULL,
    bucket           TIMESTAMPTZ      NOT NULL,
    service_name     TEXT             NOT NULL,
    environment      TEXT             NOT NULL,
    transaction_type TEXT             NOT NULL,
    count            DOUBLE PRECISION NOT NULL,
    success_count    DOUBLE PRECISION NOT NULL,
    failure_count    DOUBLE PRECISION NOT NULL,
    sum_us           DOUBLE PRECISION NOT NULL,
    min_us           BIGINT           NOT NULL,
    max_us           BIGINT           NOT NULL,
    histogram        BYTEA            NOT NULL,
    PRIMARY KEY (project_id, service_name, environment, transaction_type, bucket)
) PARTITION BY RANGE (bucket);

CREATE TABLE service_metrics_hourly (
    project_id       BIGINT           NOT NULL,
    bucket           TIMESTAMPTZ      NOT NULL,
    service_name     TEXT             NOT NULL,
    environment      TEXT             NOT NULL,
    transaction_type TEXT             NOT NULL,
    count            DOUBLE PRECISION NOT NULL,
    success_count    DOUBLE PRECISION NOT NULL,
    failure_count    DOUBLE PRECISION NOT NULL,
    sum_us           DOUBLE PRECISION NOT NULL,
    min_us           BIGINT           NOT NULL,
    max_us           BIGINT           NOT NULL,
    histogram        BYTEA            NOT NULL,
    PRIMARY KEY (project_id, service_name, environment, transaction_type, bucket)
) PARTITION BY RANGE (bucket);

-- Outgoing calls (apm-server's service_destination) from exit spans and transactions' dropped_spans_stats.
-- Empty string = not sent (dropped-span stats carry no span type).
CREATE TABLE dependency_metrics (
    project_id    BIGINT           NOT NULL,
    bucket        TIMESTAMPTZ      NOT NULL,
    service_name  TEXT             NOT NULL,
    environment   TEXT             NOT NULL,
    span_type     TEXT             NOT NULL,
    span_subtype  TEXT             NOT NULL,
    resource      TEXT             NOT NULL,
    target_type   TEXT             NOT NULL,
    target_name   TEXT             NOT NULL,
    count         DOUBLE PRECISION NOT NULL,
    success_count DOUBLE PRECISION NOT NULL,
    failure_count DOUBLE PRECISION NOT NULL,
    sum_us        DOUBLE PRECISION NOT NULL,
    min_us        BIGINT           NOT NULL,
    max_us        BIGINT           NOT NULL,
    histogram     BYTEA            NOT NULL,
    PRIMARY KEY (project_id, service_name, environment, span_type, span_subtype, resource, target_type, target_name, bucket)
) PARTITION BY RANGE (bucket);

CREATE TABLE dependency_metrics_hourly (
    project_id    BIGINT           NOT NULL,
    bucket        TIMESTAMPTZ      NOT NULL,
    service_name  TEXT             NOT NULL,
    environment   TEXT             NOT NULL,
    span_type     TEXT             NOT NULL,
    span_subtype  TEXT             NOT NULL,
    resource      TEXT             NOT NULL,
    target_type   TEXT             NOT NULL,
    target_name   TEXT             NOT NULL,
    count         DOUBLE PRECISION NOT NULL,
    success_count DOUBLE PRECISION NOT NULL,
    failure_count DOUBLE PRECISION NOT NULL,
    sum_us        DOUBLE PRECISION NOT NULL,
    min_us        BIGINT           NOT NULL,
    max_us        BIGINT           NOT NULL,
    histogram     BYTEA            NOT NULL,
    PRIMARY KEY (project_id, service_name, environment, span_type, span_subtype, resource, target_type, target_name, bucket)
) PARTITION BY RANGE (bucket);

-- Agent metricsets (JVM memory, CPU, custom, span breakdown), one row per sample. labels holds the event's
-- labels plus, for breakdown metricsets, transaction.name/type and span.type/subtype.
CREATE TABLE agent_metrics (
    project_id   BIGINT           NOT NULL,
    service_name TEXT             NOT NULL,
    environment  TEXT             NOT NULL,
    name         TEXT             NOT NULL,
    ts           TIMESTAMPTZ      NOT NULL,
    labels       JSONB            NOT NULL,
    metricset    TEXT             NOT NULL,
    type         TEXT,
    unit         TEXT,
    value        DOUBLE PRECISION,
    hist_values  DOUBLE PRECISION[],
    hist_counts  BIGINT[],
    PRIMARY KEY (project_id, service_name, environment, name, ts, labels)
) PARTITION BY RANGE (ts);

-- Kept transactions (bounded sample per group and minute, the slowest always among them, plus every
-- transaction an error points to) and the spans of kept transactions: enough to draw a waterfall.
CREATE TABLE trace_samples (
    project_id       BIGINT      NOT NULL,
    bucket           TIMESTAMPTZ NOT NULL,
    service_name     TEXT        NOT NULL,
    environment      TEXT        NOT NULL,
    transaction_type TEXT        NOT NULL,
    transaction_name TEXT        NOT NULL,
    transaction_id   TEXT        NOT NULL,
    trace_id         TEXT,
    duration_us      BIGINT      NOT NULL,
    occurred_at      TIMESTAMPTZ NOT NULL,
    reason           TEXT        NOT NULL,
    payload          JSONB       NOT NULL,
    PRIMARY KEY (project_id, transaction_id, bucket)
) PARTITION BY RANGE (bucket);
CREATE INDEX trace_samples_group ON trace_samples (project_id, service_name, environment, transaction_type,
    transaction_name, bucket, duration_us DESC);
CREATE INDEX trace_samples_trace ON trace_samples (project_id, trace_id);

CREATE TABLE trace_spans (
    project_id     BIGINT      NOT NULL,
    transaction_id TEXT        NOT NULL,
    span_id        TEXT        NOT NULL,
    trace_id       TEXT,
    occurred_at    TIMESTAMPTZ NOT NULL,
    payload        JSONB       NOT NULL,
    PRIMARY KEY (project_id, transaction_id, span_id, occurred_at)
) PARTITION BY RANGE (occurred_at);

-- Short-lived buffer (hourly partitions, dropped after a few hours): spans whose transaction has not been kept
-- (yet), and sampled transactions that were not kept, so an error processed after them can still promote them.
CREATE TABLE trace_buffer (
    project_id     BIGINT      NOT NULL,
    received_at    TIMESTAMPTZ NOT NULL,
    kind           TEXT        NOT NULL,
    transaction_id TEXT        NOT NULL,
    event_id       TEXT        NOT NULL,
    trace_id       TEXT,
    occurred_at    TIMESTAMPTZ NOT NULL,
    payload        BYTEA       NOT NULL,
    PRIMARY KEY (project_id, transaction_id, kind, event_id, received_at)
) PARTITION BY RANGE (received_at);

-- Errors point to transactions: looked up when a transaction arrives, and scanned by store time to promote
-- buffered transactions whose error was stored after them.
CREATE INDEX error_events_transaction ON error_events (project_id, transaction_id) WHERE transaction_id IS NOT NULL;
CREATE INDEX error_events_stored_with_transaction ON error_events (stored_at) WHERE transaction_id IS NOT NULL;
