package dev.beatline.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    @Test
    void errorEventRoundTripsUnchanged() {
        ErrorEvent error = TestEvents.error(7, "checkout");
        CanonicalEvent back = EventCodec.decode(Topics.ERRORS, EventCodec.encode(error));
        assertThat(back).isEqualTo(error);
        assertThat(back.header().timestamp()).isEqualTo(error.header().timestamp());
    }

    @Test
    void transactionSpanMetricsetAndLogRoundTrip() {
        EventHeader h = TestEvents.header(1, "api");
        List<CanonicalEvent> events = List.of(
                TestEvents.transaction(1, "api", 1_250_000),
                new SpanEvent(h, new TraceContext("t", "tx", "tx"), "s1", "SELECT FROM orders", "db", "postgresql",
                        "query", "success", 830, 120L, 2.0, "postgresql", "postgresql", "shop", 3, 2100, Map.of()),
                new MetricsetEvent(h, "app", Map.of("jvm.memory.heap.used",
                        new MetricSample("gauge", "byte", 1.5e8, null, null)), null, null, null, null),
                new LogEvent(h, null, "started", "info", "app", Map.of("thread", "main")));
        for (CanonicalEvent e : events) {
            assertThat(EventCodec.decode(e.kind(), EventCodec.encode(e))).isEqualTo(e);
        }
    }

    @Test
    void unknownFieldsFromNewerWritersAreIgnored() {
        String json = new String(EventCodec.encode(TestEvents.transaction(3, "api", 10)), StandardCharsets.UTF_8);
        String withExtra = json.replaceFirst("\\{", "{\"addedLater\":{\"x\":1},");
        assertThat(EventCodec.decode(EventKind.TRANSACTION, withExtra.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(EventCodec.decode(EventKind.TRANSACTION, json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void garbageIsAnEventDecodingException() {
        assertThatThrownBy(() -> EventCodec.decode(EventKind.ERROR, "{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventDecodingException.class).hasMessageContaining("not a valid ERROR event");
        assertThatThrownBy(() -> EventCodec.decode(EventKind.ERROR, "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventDecodingException.class);
        assertThatThrownBy(() -> EventCodec.decode(EventKind.ERROR, new byte[0]))
                .isInstanceOf(EventDecodingException.class).hasMessage("empty record value");
    }

    @Test
    void newerSchemaIsRefused() {
        String json = new String(EventCodec.encode(TestEvents.error(3, "api")), StandardCharsets.UTF_8)
                .replace("\"schema\":1", "\"schema\":99");
        assertThatThrownBy(() -> EventCodec.decode(EventKind.ERROR, json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventDecodingException.class).hasMessageContaining("schema 99");
    }

    @Test
    void recordKeyIsProjectSlashService() {
        assertThat(TestEvents.header(12, "checkout").recordKey()).isEqualTo("12/checkout");
    }

    @Test
    void distinctUserIdentityPrefersIdThenUsernameThenEmailThenIp() {
        assertThat(new User("1", "u", "e", "ip").identity()).isEqualTo("id:1");
        assertThat(new User(null, "u", "e", "ip").identity()).isEqualTo("username:u");
        assertThat(new User("", null, "e", "ip").identity()).isEqualTo("email:e");
        assertThat(new User(null, null, null, "1.2.3.4").identity()).isEqualTo("ip:1.2.3.4");
        assertThat(new User(null, null, null, null).identity()).isNull();
    }
}
