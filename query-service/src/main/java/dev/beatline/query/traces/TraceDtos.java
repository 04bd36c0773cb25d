package dev.beatline.query.traces;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Response bodies of the trace API. Durations in microseconds; ids as the agents sent them. */
public final class TraceDtos {

    private TraceDtos() {
    }

    @Schema(description = "A kept transaction of the trace (reason: why it was kept, e.g. sample or error)")
    public record TraceTransaction(String id, String parentId, String service, String environment, String name,
            String type, String result, String outcome, Instant start, long durationUs, String reason) {
    }

    @Schema(description = "A span of a kept transaction; parentId is the transaction's or another span's id")
    public record TraceSpan(String id, String transactionId, String parentId, String service, String name, String type,
            String subtype, String action, String outcome, Instant start, long durationUs, String destination) {
    }

    @Schema(description = "An error occurrence in the trace, with the issue it belongs to")
    @JsonAutoDetect(isGetterVisibility = JsonAutoDetect.Visibility.NONE) // issue…() is no is-getter
    public record TraceError(String eventId, long issueId, String transactionId, String service, String environment,
            Instant occurredAt, String level, String message) {
    }

    @Schema(description = "Everything stored of one trace across services, each list by start time. Transactions "
            + "are those kept by the processor's sampling (a bounded sample per group and minute, plus every "
            + "transaction an error points to), so a trace may be partial.")
    public record Trace(String traceId, List<TraceTransaction> transactions, List<TraceSpan> spans,
            List<TraceError> errors) {
    }
}
