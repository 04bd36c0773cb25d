package dev.beatline.query.issues;

import dev.beatline.model.ErrorEvent;
import dev.beatline.model.EventCodec;
import dev.beatline.model.EventHeader;
import dev.beatline.model.EventKind;
import dev.beatline.model.ExceptionInfo;
import dev.beatline.model.StackFrame;
import dev.beatline.query.issues.IssueDtos.EventDetail;
import dev.beatline.query.issues.IssueDtos.ExceptionView;
import dev.beatline.query.issues.IssueDtos.FrameView;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Maps an occurrence's stored canonical JSON ({@code error_events.payload}) to the API's {@link EventDetail}. */
public final class EventDetails {

    private EventDetails() {
    }

    public static EventDetail fromPayload(String payloadJson) {
        ErrorEvent e = (ErrorEvent) EventCodec.decode(EventKind.ERROR, payloadJson.getBytes(StandardCharsets.UTF_8));
        EventHeader h = e.header();
        return new EventDetail(h.eventId(), h.timestamp(), h.receivedAt(), e.level(), e.message(), e.loggerName(),
                e.culprit(), e.platform(), e.transactionName(), e.transactionType(), h.service(), h.agent(), h.host(),
                h.user(), e.trace(), h.labels(), e.exceptions().stream().map(EventDetails::exception).toList(),
                frames(e.logStacktrace()), e.request(), e.breadcrumbs(), e.contexts());
    }

    private static ExceptionView exception(ExceptionInfo x) {
        return new ExceptionView(x.type(), x.value(), x.module(), x.handled(), x.mechanism(), frames(x.frames()));
    }

    private static List<FrameView> frames(List<StackFrame> frames) {
        return frames.stream().map(f -> new FrameView(f.function(), f.module(), f.filename(), f.absPath(), f.lineno(),
                f.colno(), Boolean.TRUE.equals(f.inApp()), f.contextLine(), f.preContext(), f.postContext(), f.vars()))
                .toList();
    }
}
