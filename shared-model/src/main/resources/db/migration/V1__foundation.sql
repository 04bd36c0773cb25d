-- Beatline schema, version 1: projects and keys, processor offsets, issues and occurrences,
-- per-minute transaction metrics. Every data table leads with project_id (see ARCHITECTURE.md).

CREATE TABLE projects (
    id               BIGSERIAL PRIMARY KEY,
    slug             TEXT        NOT NULL UNIQUE,
    name             TEXT        NOT NULL,
    -- per-project ingest rate limit; NULL = the intake's configured default
    rate_limit_eps   INTEGER,
    rate_limit_burst INTEGER,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Secrets are never stored: secret_hash is the hex SHA-256 of a random 32-byte secret
-- (high entropy, so a fast hash is enough). public_key identifies the key in ApiKey credentials
-- and in Sentry DSNs, and is not secret.
CREATE TABLE project_keys (
    project_id  BIGINT      NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id          BIGSERIAL   PRIMARY KEY,
    public_key  TEXT        NOT NULL UNIQUE,
    secret_hash TEXT        NOT NULL UNIQUE,
    name        TEXT        NOT NULL,
    scopes      TEXT[]      NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at  TIMESTAMPTZ
);
CREATE INDEX project_keys_project ON project_keys (project_id);

-- The Kafka position each processor group has durably applied: written in the same transaction
-- as the effects of the records before it, read back on partition assignment.
CREATE TABLE consumer_offsets (
    consumer_group TEXT    NOT NULL,
    topic          TEXT    NOT NULL,
    partition      INTEGER NOT NULL,
    next_offset    BIGINT  NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer_group, topic, partition)
);

CREATE TABLE issues (
    project_id     BIGINT      NOT NULL,
    id             BIGSERIAL   PRIMARY KEY,
    fingerprint    TEXT        NOT NULL,
    grouping_config TEXT       NOT NULL,
    title          TEXT        NOT NULL,
    culprit        TEXT,
    level          TEXT        NOT NULL,
    type           TEXT,
    platform       TEXT,
    service_name   TEXT,
    status         TEXT        NOT NULL DEFAULT 'unresolved',
    substatus      TEXT        NOT NULL DEFAULT 'new',
    first_seen     TIMESTAMPTZ NOT NULL,
    last_seen      TIMESTAMPTZ NOT NULL,
    times_seen     BIGINT      NOT NULL DEFAULT 0,
    users_affected BIGINT      NOT NULL DEFAULT 0,
    first_release  TEXT,
    last_release   TEXT,
    UNIQUE (project_id, fingerprint)
);
CREATE INDEX issues_project_last_seen ON issues (project_id, last_seen DESC);

-- Distinct affected users per issue (identity = id > username > email > ip).
CREATE TABLE issue_users (
    project_id BIGINT NOT NULL,
    issue_id   BIGINT NOT NULL,
    identity   TEXT   NOT NULL,
    PRIMARY KEY (project_id, issue_id, identity)
);

-- Occurrences. (project_id, event_id) is unique: an event id sent twice is one event.
CREATE TABLE error_events (
    project_id     BIGINT      NOT NULL,
    event_id       TEXT        NOT NULL,
    issue_id       BIGINT      NOT NULL,
    occurred_at    TIMESTAMPTZ NOT NULL,
    received_at    TIMESTAMPTZ NOT NULL,
    stored_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    service_name   TEXT,
    environment    TEXT,
    release        TEXT,
    level          TEXT        NOT NULL,
    message        TEXT,
    trace_id       TEXT,
    transaction_id TEXT,
    payload        JSONB       NOT NULL,
    PRIMARY KEY (project_id, event_id)
);
CREATE INDEX error_events_issue ON error_events (project_id, issue_id, occurred_at DESC);

-- Transaction metrics per minute and group. count and failure_count are representative counts
-- (1/sample_rate each), so they may be fractional.
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
    failure_count    DOUBLE PRECISION NOT NULL,
    sum_us           DOUBLE PRECISION NOT NULL,
    min_us           BIGINT           NOT NULL,
    max_us           BIGINT           NOT NULL,
    PRIMARY KEY (project_id, service_name, environment, transaction_type, transaction_name, result, outcome, bucket)
);
CREATE INDEX transaction_metrics_project_bucket ON transaction_metrics (project_id, bucket);
