-- Sentry side data (issue 7): release health sessions, end-user feedback, what SDKs dropped, attachment
-- metadata. Written by processor-service (package sentry); idempotent by (project_id, id).

-- One row per session update or per aggregate bucket. Crash-free rates per release:
-- the latest update (highest seq) per session_id gives its final status.
CREATE TABLE release_sessions (
    project_id       BIGINT           NOT NULL,
    event_id         TEXT             NOT NULL,
    release          TEXT             NOT NULL,
    environment      TEXT,
    session_id       TEXT,
    distinct_id      TEXT,
    status           TEXT,
    init             BOOLEAN          NOT NULL,
    seq              BIGINT           NOT NULL,
    errors           BIGINT           NOT NULL,
    started          TIMESTAMPTZ      NOT NULL,
    duration_seconds DOUBLE PRECISION,
    exited           BIGINT,
    errored          BIGINT,
    abnormal         BIGINT,
    crashed          BIGINT,
    received_at      TIMESTAMPTZ      NOT NULL,
    PRIMARY KEY (project_id, event_id)
);
CREATE INDEX release_sessions_release ON release_sessions (project_id, release, started);

-- Feedback on an error event; its issue is error_events.issue_id of the same (project_id, event_id).
CREATE TABLE user_feedback (
    project_id  BIGINT      NOT NULL,
    feedback_id TEXT        NOT NULL,
    event_id    TEXT,
    name        TEXT,
    email       TEXT,
    comments    TEXT,
    url         TEXT,
    received_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (project_id, feedback_id)
);
CREATE INDEX user_feedback_event ON user_feedback (project_id, event_id);

-- Client reports: quantities SDKs dropped before sending, per reason and data category.
CREATE TABLE client_discards (
    project_id  BIGINT      NOT NULL,
    report_id   TEXT        NOT NULL,
    reason      TEXT        NOT NULL,
    category    TEXT        NOT NULL,
    quantity    BIGINT      NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (project_id, report_id, reason, category)
);

CREATE TABLE event_attachments (
    project_id      BIGINT      NOT NULL,
    attachment_id   TEXT        NOT NULL,
    event_id        TEXT,
    filename        TEXT,
    content_type    TEXT        NOT NULL,
    attachment_type TEXT        NOT NULL,
    size_bytes      BIGINT      NOT NULL,
    received_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (project_id, attachment_id)
);
CREATE INDEX event_attachments_event ON event_attachments (project_id, event_id);
