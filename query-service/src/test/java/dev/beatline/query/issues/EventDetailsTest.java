package dev.beatline.query.issues;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beatline.model.ErrorEvent;
import dev.beatline.model.EventCodec;
import dev.beatline.model.ExceptionInfo;
import dev.beatline.model.StackFrame;
import dev.beatline.model.TestEvents;
import dev.beatline.query.issues.IssueDtos.EventDetail;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventDetailsTest {

    @Test
    void storedPayloadBecomesTheDetailWithInAppFramesMarked() {
        ErrorEvent base = TestEvents.error(3, "checkout");
        List<StackFrame> frames = List.of(StackFrame.of("java.lang.Thread", "run", "Thread.java", 833, false),
                StackFrame.of("com.example.Pay", "charge", "Pay.java", 42, true),
                StackFrame.of("com.vendor.Lib", "call", "Lib.java", 7, null));
        ErrorEvent e = new ErrorEvent(base.header(), base.trace(), "fatal", "boom", null, "pay", "com.example.Pay in charge",
                List.of(new ExceptionInfo("java.lang.IllegalStateException", "boom", null, false, null, frames)), null,
                null, "java", "POST /pay", "request", base.request(), base.breadcrumbs(), base.contexts());
        String payload = new String(EventCodec.encode(e), StandardCharsets.UTF_8);

        EventDetail d = EventDetails.fromPayload(payload);

        assertThat(d.eventId()).isEqualTo(base.header().eventId());
        assertThat(d.level()).isEqualTo("fatal");
        assertThat(d.service().name()).isEqualTo("checkout");
        assertThat(d.exceptions()).singleElement().satisfies(x -> {
            assertThat(x.type()).isEqualTo("java.lang.IllegalStateException");
            assertThat(x.frames()).extracting(IssueDtos.FrameView::inApp).containsExactly(false, true, false);
            assertThat(x.frames().get(1).lineno()).isEqualTo(42);
        });
        assertThat(d.tags()).isEqualTo(base.header().labels());
        assertThat(d.stacktrace()).isEmpty();
    }
}
