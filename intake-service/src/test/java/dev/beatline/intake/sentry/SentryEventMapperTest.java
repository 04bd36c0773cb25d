package dev.beatline.intake.sentry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beatline.model.AttachmentEvent;
import dev.beatline.model.CanonicalEvent;
import dev.beatline.model.ClientReportEvent;
import dev.beatline.model.ErrorEvent;
import dev.beatline.model.EventCodec;
import dev.beatline.model.FeedbackEvent;
import dev.beatline.model.LogEvent;
import dev.beatline.model.SessionEvent;
import dev.beatline.model.SharedFiles;
import dev.beatline.model.SourceProtocol;
import dev.beatline.model.SpanEvent;
import dev.beatline.model.TransactionEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every payload fixture of the Sentry reference, through the parser and the mapper. */
class SentryEventMapperTest {

    static final Instant RECEIVED = Instant.parse("2026-01-01T00:00:00Z");
    static final SentryRequestContext CTX = new SentryRequestContext(7, "shop", RECEIVED, "203.0.113.9");

    private final SentryEnvelopeParser parser = new SentryEnvelopeParser(type -> 1 << 20);
    private final SentryEventMapper mapper = new SentryEventMapper();

    private static byte[] fixture(String name) throws Exception {
        return Files.readAllBytes(SharedFiles.protocols("sentry/payloads/" + name));
    }

    private SentryEventMapper.Result envelope(String name) throws Exception {
        return mapper.map(parser.parse(fixture(name)), CTX);
    }

    private SentryEventMapper.Result envelope(byte[] body) {
        return mapper.map(parser.parse(body), CTX);
    }

    private SentryEventMapper.Result store(String name) throws Exception {
        return mapper.mapStoreBody(EventCodec.mapper().readTree(fixture(name)), CTX);
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> ofType(SentryEventMapper.Result r, Class<T> type) {
        return (List<T>) r.events().stream().filter(type::isInstance).toList();
    }

    @Test
    void developDocsExample() throws Exception {
        SentryEventMapper.Result r = envelope("develop-docs__envelope_example_2_items.bin");
        assertThat(r.eventId()).isEqualTo("9ec79c33ec9942ab8353589fcb2e04dc");
        ErrorEvent e = ofType(r, ErrorEvent.class).get(0);
        assertThat(e.message()).isEqualTo("hello world");
        assertThat(e.level()).isEqualTo("error");
        assertThat(e.header().eventId()).isEqualTo("9ec79c33ec9942ab8353589fcb2e04dc");
        assertThat(e.header().source()).isEqualTo(SourceProtocol.SENTRY);
        assertThat(e.header().service().name()).isEqualTo("shop");
        assertThat(e.header().timestamp()).isEqualTo(RECEIVED);
        AttachmentEvent a = ofType(r, AttachmentEvent.class).get(0);
        assertThat(a.filename()).isEqualTo("hello.txt");
        assertThat(a.sizeBytes()).isEqualTo(10);
        assertThat(a.contentType()).isEqualTo("text/plain");
        assertThat(a.attachmentType()).isEqualTo("event.attachment");
        assertThat(a.associatedEventId()).isEqualTo("9ec79c33ec9942ab8353589fcb2e04dc");
    }

    @Test
    void legacyJsExceptionStoreBody() throws Exception {
        SentryEventMapper.Result r = store("relay__relay-server_tests_fixtures_payloads_legacy_js_exception.json");
        assertThat(r.eventId()).isEqualTo("2c6cd1fbe9eb40a698d8bfa9eca34828");
        ErrorEvent e = (ErrorEvent) r.events().get(0);
        assertThat(e.exceptions()).hasSize(1);
        assertThat(e.thrownException().type()).isEqualTo("Error");
        assertThat(e.thrownException().value()).isEqualTo("captureException");
        assertThat(e.thrownException().frames()).extracting(f -> f.lineno()).containsExactly(14, 2);
        assertThat(e.thrownException().frames().get(0).filename()).isEqualTo("http://localhost:5001/error.js");
        assertThat(e.thrownException().frames().get(0).inApp()).isTrue();
        // the legacy container-level mechanism applies to the thrown exception
        assertThat(e.thrownException().handled()).isTrue();
        assertThat(e.thrownException().mechanism()).containsEntry("type", "generic");
        assertThat(e.platform()).isEqualTo("javascript");
        assertThat(e.loggerName()).isEqualTo("javascript");
        assertThat(e.transactionName()).isEqualTo("http://localhost:5001/error.js");
        assertThat(e.header().service().version()).isEqualTo("randomRelease");
        assertThat(e.header().service().environment()).isEqualTo("development");
        assertThat(e.header().labels()).containsEntry("git_commit", "c0deb10c4");
        assertThat(e.request().url()).isEqualTo("http://localhost:5001/");
        assertThat(e.request().headers()).containsKey("User-Agent");
        assertThat(e.contexts()).containsKey("extra");
    }

    @Test
    void legacyJsMessageStoreBody() throws Exception {
        SentryEventMapper.Result r = store("relay__relay-server_tests_fixtures_payloads_legacy_js_message.json");
        ErrorEvent e = (ErrorEvent) r.events().get(0);
        assertThat(e.exceptions()).isEmpty();
        assertThat(e.message()).isEqualTo("captureMessage");
        assertThat(e.fingerprint()).containsExactly("captureMessage");
        assertThat(e.breadcrumbs()).hasSize(1);
        assertThat(e.breadcrumbs().get(0).timestamp()).isEqualTo(Instant.parse("2018-07-24T14:58:04.908Z"));
        assertThat(e.breadcrumbs().get(0).category()).isEqualTo("sentry");
    }

    @Test
    void userReportIsFeedbackOnTheEvent() throws Exception {
        SentryEventMapper.Result r = envelope("sentry-java__sentry-android-core__envelopes_feedback.txt");
        FeedbackEvent f = ofType(r, FeedbackEvent.class).get(0);
        assertThat(f.associatedEventId()).isEqualTo("bdd63725a2b84c1eabd761106e17d390");
        assertThat(f.name()).isEqualTo("jonas");
        assertThat(f.email()).isEqualTo("a@b.com");
        assertThat(f.comments()).isEqualTo("bad stuff");
        assertThat(f.header().agent().name()).isEqualTo("sentry.dart.flutter");
        assertThat(r.eventId()).isNull();
    }

    @Test
    void javaEvent() throws Exception {
        SentryEventMapper.Result r = envelope("sentry-java__sentry-android-core__envelopes_java-event.txt");
        ErrorEvent e = (ErrorEvent) r.events().get(0);
        assertThat(r.eventId()).isEqualTo("9ec79c33ec9942ab8353589fcb2e04dc");
        assertThat(e.platform()).isEqualTo("java");
        assertThat(e.header().timestamp()).isEqualTo(Instant.parse("2023-07-15T10:30:00Z"));
    }

    @Test
    void sessionUpdatesCarryReleaseHealth() throws Exception {
        for (String name : List.of("sentry-java__sentry-android-core__envelopes_session.txt",
                "sentry-java__sentry__envelope-session-start.txt", "sentry-java__sentry__envelope_session_sdkversion.txt")) {
            SentryEventMapper.Result r = envelope(name);
            assertThat(r.eventId()).as(name).isNull();
            SessionEvent s = (SessionEvent) r.events().get(0);
            assertThat(s.sessionId()).isEqualTo("c81d4e2e-bcf2-11e6-869b-7df92533d2db");
            assertThat(s.header().eventId()).isEqualTo("c81d4e2e-bcf2-11e6-869b-7df92533d2db/123456");
            assertThat(s.header().service().version()).isEqualTo("io.sentry@1.0+123");
            assertThat(s.header().service().environment()).isEqualTo("debug");
            assertThat(s.status()).isEqualTo("ok");
            assertThat(s.init()).isTrue();
            assertThat(s.sequence()).isEqualTo(123456);
            assertThat(s.errors()).isEqualTo(2);
            assertThat(s.durationSeconds()).isEqualTo(6000.0);
            assertThat(s.distinctId()).isEqualTo("123");
            assertThat(s.started()).isEqualTo(Instant.parse("2020-02-07T14:16:00Z"));
            assertThat(s.header().user().ip()).isEqualTo("127.0.0.1");
        }
        SessionEvent withSdk = (SessionEvent) envelope("sentry-java__sentry__envelope_session_sdkversion.txt").events().get(0);
        assertThat(withSdk.header().agent().name()).isEqualTo("test");
        assertThat(withSdk.header().agent().version()).isEqualTo("1.2.3");
    }

    @Test
    void invalidEventJsonIsRejectedWhileItsAttachmentsAreKept() throws Exception {
        SentryEventMapper.Result r = envelope("sentry-java__sentry__envelope-event-attachment.txt");
        assertThat(r.rejected()).hasSize(1).first().asString().startsWith("event: invalid JSON data");
        assertThat(ofType(r, AttachmentEvent.class)).extracting(AttachmentEvent::filename, AttachmentEvent::attachmentType,
                AttachmentEvent::sizeBytes).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("attachment.txt", "event.minidump", 61L),
                        org.assertj.core.groups.Tuple.tuple("log.txt", "event.attachment", 29L));
    }

    @Test
    void transactionWithSpans() throws Exception {
        SentryEventMapper.Result r = envelope("sentry-java__sentry__envelope-transaction.txt");
        assertThat(r.eventId()).isEqualTo("3367f5196c494acaae85bbbd535379ac");
        TransactionEvent t = ofType(r, TransactionEvent.class).get(0);
        assertThat(t.name()).isEqualTo("a-transaction");
        assertThat(t.type()).isEqualTo("http");
        assertThat(t.result()).isEqualTo("ok");
        assertThat(t.outcome()).isEqualTo("success");
        assertThat(t.durationUs()).isEqualTo(1_000_000);
        assertThat(t.trace().traceId()).isEqualTo("b156a475de54423d9c1571df97ec7eb6");
        assertThat(t.id()).isEqualTo("0a53026963414893");
        assertThat(t.isRoot()).isTrue();
        assertThat(t.representativeCount()).isEqualTo(1.0);
        assertThat(t.contexts()).containsKey("custom");
        assertThat(t.header().timestamp()).isEqualTo(Instant.parse("2020-10-23T10:24:01.791Z"));
        SpanEvent s = ofType(r, SpanEvent.class).get(0);
        assertThat(s.id()).isEqualTo("5b95c29a5ded4281");
        assertThat(s.name()).isEqualTo("desc");
        assertThat(s.type()).isEqualTo("PersonService");
        assertThat(s.subtype()).isEqualTo("create");
        assertThat(s.outcome()).isEqualTo("failure");
        assertThat(s.durationUs()).isEqualTo(111_000);
        assertThat(s.trace().transactionId()).isEqualTo("0a53026963414893");
        assertThat(s.trace().parentId()).isEqualTo("a3b2d1d58b344b07");
    }

    @Test
    void serializerFixtureEventKeepsEveryField() throws Exception {
        JsonNode json = EventCodec.mapper().readTree(fixture("sentry-java__sentry__json_sentry_event.json"));
        ErrorEvent e = (ErrorEvent) mapper.mapStoreBody(json, CTX).events().get(0);
        assertThat(e.header().eventId()).isEqualTo("afcb46b1140ade5187c4bbb5daa804df");
        assertThat(e.header().timestamp()).isEqualTo(Instant.parse("1942-07-09T12:55:34Z"));
        assertThat(e.message()).isEqualTo("6a4706fe-386d-4e4c-acc4-cf27f0331ede");
        assertThat(e.paramMessage()).isEqualTo("96d75ef6-49fa-47dc-bb68-98f4293fa1eb");
        assertThat(e.exceptions()).hasSize(json.at("/exception/values").size());
        assertThat(e.thrownException().type()).isEqualTo(json.at("/exception/values/0/type").asText());
        assertThat(e.thrownException().frames()).hasSize(json.at("/exception/values/0/stacktrace/frames").size());
        assertThat(e.fingerprint()).containsExactly("ab3a347a-4cc1-4fd4-b4cf-1dc56b670c5b",
                "340cfef9-4820-4549-ac07-c3b353c81c50");
        assertThat(e.header().service().version()).isEqualTo("be9b8133-72f5-497b-adeb-b0a245eebad6");
        assertThat(e.header().service().environment()).isEqualTo("89204175-e462-4628-8acb-3a7fa8d8da7d");
        assertThat(e.header().host().hostname()).isEqualTo(json.get("server_name").asText());
        assertThat(e.header().user().id()).isEqualTo("efb2084b-1871-4b59-8897-b4bd9f196a01");
        assertThat(e.header().agent().name()).isEqualTo(json.at("/sdk/name").asText());
        assertThat(e.header().labels()).containsEntry("79ba41db-8dc6-4156-b53e-6cf6d742eb88",
                "690ce82f-4d5d-4d81-b467-461a41dd9419");
        assertThat(e.breadcrumbs()).hasSize(json.get("breadcrumbs").size());
        assertThat(e.contexts()).containsKeys("extra", "modules", "dist");
        assertThat(e.level()).isEqualTo("error");
    }

    @Test
    void serializerFixtureTransactionWithFloatTimestamps() throws Exception {
        JsonNode json = EventCodec.mapper().readTree(fixture("sentry-java__sentry__json_sentry_transaction.json"));
        SentryEventMapper.Result r = mapper.mapStoreBody(json, CTX);
        TransactionEvent t = ofType(r, TransactionEvent.class).get(0);
        assertThat(t.header().timestamp()).isEqualTo(Instant.ofEpochSecond(916613796));
        assertThat(t.durationUs()).isEqualTo((919990124L - 916613796L) * 1_000_000L);
        assertThat(t.outcome()).isEqualTo("failure");
        assertThat(t.result()).isEqualTo("resource_exhausted");
        assertThat(ofType(r, SpanEvent.class)).hasSize(1);
        assertThat(t.contexts()).containsKeys("measurements", "transaction_info");
    }

    @Test
    void checkInItemsAreIgnored() throws Exception {
        byte[] checkIn = fixture("sentry-java__sentry__json_checkin_crontab.json");
        byte[] body = concat("{}\n{\"type\":\"check_in\",\"length\":" + checkIn.length + "}\n", checkIn, "\n");
        SentryEventMapper.Result r = envelope(body);
        assertThat(r.events()).isEmpty();
        assertThat(r.ignored()).isEqualTo(1);
        assertThat(r.rejected()).isEmpty();
    }

    @Test
    void logentryWithParamsAndAutoIpAndTagList() {
        String event = "{\"event_id\":\"0123456789abcdef0123456789abcdef\",\"timestamp\":1700000000.25,"
                + "\"logentry\":{\"message\":\"user %s failed %d times\",\"params\":[\"bob\",3]},"
                + "\"user\":{\"ip_address\":\"{{auto}}\"},\"tags\":[[\"service\",\"checkout\"],[\"a\",\"b\"]],"
                + "\"exception\":[{\"type\":\"A\",\"value\":\"root\"},{\"type\":\"B\",\"value\":\"thrown\"}],"
                + "\"contexts\":{\"trace\":{\"trace_id\":\"abcdefabcdefabcdefabcdefabcdefab\",\"span_id\":\"1234567812345678\"}}}";
        SentryEventMapper.Result r = envelope(("{}\n{\"type\":\"event\"}\n" + event).getBytes(StandardCharsets.UTF_8));
        ErrorEvent e = (ErrorEvent) r.events().get(0);
        assertThat(e.message()).isEqualTo("user bob failed 3 times");
        assertThat(e.paramMessage()).isEqualTo("user %s failed %d times");
        assertThat(e.header().user().ip()).isEqualTo("203.0.113.9");
        assertThat(e.header().service().name()).isEqualTo("checkout");
        assertThat(e.header().labels()).containsEntry("a", "b");
        assertThat(e.header().timestamp()).isEqualTo(Instant.parse("2023-11-14T22:13:20.250Z"));
        assertThat(e.exceptions()).extracting(x -> x.type()).containsExactly("A", "B");
        assertThat(e.thrownException().value()).isEqualTo("thrown");
        assertThat(e.trace().traceId()).isEqualTo("abcdefabcdefabcdefabcdefabcdefab");
        assertThat(r.eventId()).isEqualTo("0123456789abcdef0123456789abcdef");
    }

    @Test
    void envelopeEventIdWinsAndDashedIdsAreNormalized() {
        String body = "{\"event_id\":\"9EC79C33-EC99-42AB-8353-589FCB2E04DC\"}\n{\"type\":\"event\"}\n"
                + "{\"event_id\":\"00000000000000000000000000000001\",\"message\":\"m\"}\n";
        SentryEventMapper.Result r = envelope(body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.eventId()).isEqualTo("9ec79c33ec9942ab8353589fcb2e04dc");
        assertThat(r.events().get(0).header().eventId()).isEqualTo("9ec79c33ec9942ab8353589fcb2e04dc");
        assertThatThrownBy(() -> envelope("{\"event_id\":\"nope\"}\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EnvelopeFormatException.class).hasMessage("invalid event id");
    }

    @Test
    void twoEventsInOneEnvelopeAreMalformed() {
        String body = "{}\n{\"type\":\"event\"}\n{}\n{\"type\":\"transaction\"}\n{}\n";
        assertThatThrownBy(() -> envelope(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EnvelopeFormatException.class);
    }

    @Test
    void v2SpanContainerMakesSpansAndSegmentRootsTransactions() {
        String payload = "{\"items\":[{\"trace_id\":\"abcdefabcdefabcdefabcdefabcdefab\",\"span_id\":\"1111111111111111\","
                + "\"name\":\"GET /cart\",\"status\":\"ok\",\"is_segment\":true,\"start_timestamp\":1700000000.0,"
                + "\"end_timestamp\":1700000000.5,\"attributes\":{\"sentry.op\":{\"type\":\"string\",\"value\":\"http.server\"},"
                + "\"sentry.release\":{\"type\":\"string\",\"value\":\"shop@2\"}}},"
                + "{\"trace_id\":\"abcdefabcdefabcdefabcdefabcdefab\",\"span_id\":\"2222222222222222\",\"parent_span_id\":\"1111111111111111\","
                + "\"name\":\"SELECT cart\",\"status\":\"error\",\"is_segment\":false,\"start_timestamp\":1700000000.1,"
                + "\"end_timestamp\":1700000000.2,\"attributes\":{\"sentry.op\":{\"type\":\"string\",\"value\":\"db.sql.query\"},"
                + "\"sentry.segment.id\":{\"type\":\"string\",\"value\":\"1111111111111111\"},"
                + "\"db.system\":{\"type\":\"string\",\"value\":\"postgresql\"}}}]}";
        String body = "{}\n{\"type\":\"span\",\"item_count\":2,\"content_type\":\"application/vnd.sentry.items.span.v2+json\"}\n"
                + payload + "\n";
        SentryEventMapper.Result r = envelope(body.getBytes(StandardCharsets.UTF_8));
        TransactionEvent t = ofType(r, TransactionEvent.class).get(0);
        assertThat(t.name()).isEqualTo("GET /cart");
        assertThat(t.type()).isEqualTo("http.server");
        assertThat(t.durationUs()).isEqualTo(500_000);
        assertThat(t.header().service().version()).isEqualTo("shop@2");
        SpanEvent s = ofType(r, SpanEvent.class).get(0);
        assertThat(s.type()).isEqualTo("db");
        assertThat(s.subtype()).isEqualTo("sql");
        assertThat(s.action()).isEqualTo("query");
        assertThat(s.outcome()).isEqualTo("failure");
        assertThat(s.serviceTargetType()).isEqualTo("postgresql");
        assertThat(s.trace().transactionId()).isEqualTo("1111111111111111");
        assertThat(s.durationUs()).isEqualTo(100_000);
        assertThat(r.eventId()).isNull();
    }

    @Test
    void clientReportsLogsAndSessionAggregates() {
        String body = "{}\n{\"type\":\"client_report\"}\n{\"timestamp\":\"2026-01-01T00:00:00Z\",\"discarded_events\":"
                + "[{\"reason\":\"queue_overflow\",\"category\":\"error\",\"quantity\":23}]}\n"
                + "{\"type\":\"sessions\"}\n{\"aggregates\":[{\"started\":\"2026-01-01T00:00:00Z\",\"exited\":5,\"crashed\":1}],"
                + "\"attrs\":{\"release\":\"shop@2\",\"environment\":\"prod\"}}\n"
                + "{\"type\":\"log\",\"item_count\":1}\n{\"items\":[{\"timestamp\":1700000000,\"level\":\"warn\",\"body\":\"slow\","
                + "\"trace_id\":\"abcdefabcdefabcdefabcdefabcdefab\",\"attributes\":{\"k\":{\"type\":\"string\",\"value\":\"v\"}}}]}\n";
        SentryEventMapper.Result r = envelope(body.getBytes(StandardCharsets.UTF_8));
        ClientReportEvent c = ofType(r, ClientReportEvent.class).get(0);
        assertThat(c.discarded()).containsExactly(new ClientReportEvent.Discarded("queue_overflow", "error", 23));
        SessionEvent agg = ofType(r, SessionEvent.class).get(0);
        assertThat(agg.counts()).isEqualTo(new SessionEvent.SessionCounts(5, 0, 0, 1));
        assertThat(agg.header().service().version()).isEqualTo("shop@2");
        LogEvent log = ofType(r, LogEvent.class).get(0);
        assertThat(log.message()).isEqualTo("slow");
        assertThat(log.fields()).containsEntry("k", "v");
        List<CanonicalEvent> all = r.events();
        assertThat(all).hasSize(3);
    }

    private static byte[] concat(String a, byte[] b, String c) {
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] z = c.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[x.length + b.length + z.length];
        System.arraycopy(x, 0, out, 0, x.length);
        System.arraycopy(b, 0, out, x.length, b.length);
        System.arraycopy(z, 0, out, x.length + b.length, z.length);
        return out;
    }
}
