-- Issue 4: a project's own grouping rules, in Sentry's syntax (dev.beatline.grouping.FingerprintRules and
-- StackTraceRules). Written by the query service after it has parsed them; read by the processor, which caches
-- them per project and reloads a project's rules when grouping_rules_version changes.
ALTER TABLE projects
    ADD COLUMN fingerprint_rules      TEXT   NOT NULL DEFAULT '',
    ADD COLUMN stacktrace_rules       TEXT   NOT NULL DEFAULT '',
    ADD COLUMN grouping_rules_version BIGINT NOT NULL DEFAULT 0;
