-- Issue 5: the trace sampler reads the stored samples of a batch's (project, minute) pairs in one index range
-- each, instead of one lookup per transaction group.
CREATE INDEX trace_samples_minute ON trace_samples (project_id, bucket);
