-- Issue 5: the hour rows of transaction_metrics, service_metrics and dependency_metrics (their _hourly tables)
-- are built from closed minutes instead of being rewritten by every batch, halving the metric row writes.
--
-- metrics_rollup.rolled_through = W: every hour before W is rolled up. Its hour rows are complete, and a late
-- event for a minute before W is merged by its batch into the minute row AND the hour row (write-through, in the
-- batch's transaction). Hours at or after W exist only as minute rows; the processor's rollup job turns hour W
-- into hour rows once it is closed (plus a grace period) and advances W, under an exclusive transaction-scoped
-- advisory lock (5002, 0) that every metrics batch takes in shared mode before it reads W, so no batch can write
-- a minute of hour W without either being seen by the rollup or writing through itself.
-- Readers (the query service) take hour rows only for hours before W and minute rows for the rest.
-- Starts at the current hour: hours before it were written through by earlier versions.
CREATE TABLE metrics_rollup (
    id             INT         PRIMARY KEY CHECK (id = 1),
    rolled_through TIMESTAMPTZ NOT NULL
);
INSERT INTO metrics_rollup (id, rolled_through) VALUES (1, date_trunc('hour', now()));
