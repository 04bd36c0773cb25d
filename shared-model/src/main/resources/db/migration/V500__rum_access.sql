-- Anonymous RUM (browser) intake, per project. Browsers cannot keep a secret, so a RUM agent names its
-- project by a public key in its server URL (.../rum/<public_key>/intake/v3/rum/events, or ?key=<public_key>).
-- Only the listed origins may send ('*' = any), only the listed agent names are accepted, and every client IP
-- has its own token bucket (NULL = the intake's configured default) besides the project's own rate.
CREATE TABLE project_rum_access (
    project_id          BIGINT      NOT NULL PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    public_key          TEXT        NOT NULL UNIQUE,
    allowed_origins     TEXT[]      NOT NULL DEFAULT '{}',
    allowed_agents      TEXT[]      NOT NULL DEFAULT '{rum-js,js-base}',
    ip_rate_limit_eps   INTEGER,
    ip_rate_limit_burst INTEGER,
    enabled             BOOLEAN     NOT NULL DEFAULT true,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
