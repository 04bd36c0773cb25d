-- Issue 5 (spans): spans and not-kept transactions wait in the processor's memory instead of trace_buffer.
-- A processor re-reads each partition from replay_from (the lowest record it still held) after a restart to
-- rebuild that memory; records before next_offset are not applied again. NULL means "same as next_offset".
ALTER TABLE consumer_offsets ADD COLUMN replay_from BIGINT;

-- No longer written or read: spans and not-kept transactions are held in memory (TraceHold).
DROP TABLE trace_buffer;

-- Only the scheduled promotion scan over trace_buffer used it; errors are matched to held transactions as
-- they are consumed, and error_events_transaction still serves the lookup when a transaction arrives.
DROP INDEX IF EXISTS error_events_stored_with_transaction;
