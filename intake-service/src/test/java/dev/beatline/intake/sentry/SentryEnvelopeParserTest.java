package dev.beatline.intake.sentry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beatline.model.SharedFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class SentryEnvelopeParserTest {

    private final SentryEnvelopeParser parser = new SentryEnvelopeParser(type -> 1_000);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(SentryEnvelope.Item item) {
        return new String(item.payload(), StandardCharsets.UTF_8);
    }

    @Test
    void developDocsExampleWithTwoItemsIsParsedByteExact() throws Exception {
        byte[] body = Files.readAllBytes(SharedFiles.protocols("sentry/payloads/develop-docs__envelope_example_2_items.bin"));
        SentryEnvelope env = parser.parse(body);
        assertThat(env.header("event_id")).isEqualTo("9ec79c33ec9942ab8353589fcb2e04dc");
        assertThat(env.header("dsn")).isEqualTo("https://e12d836b15bb49d7bbf99e64295d995b:@sentry.io/42");
        assertThat(env.items()).extracting(SentryEnvelope.Item::type).containsExactly("attachment", "event");
        // BOM + "Hello\r\n": the \r\n inside the 10 bytes belongs to the payload
        assertThat(env.items().get(0).payload()).hasSize(10)
                .isEqualTo(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, 'H', 'e', 'l', 'l', 'o', '\r', '\n'});
        assertThat(env.items().get(0).header("filename")).isEqualTo("hello.txt");
        assertThat(text(env.items().get(1))).isEqualTo("{\"message\":\"hello world\",\"level\":\"error\"}");
    }

    @Test
    void twoEmptyAttachmentsWithAndWithoutFinalNewline() {
        String two = "{\"event_id\":\"9ec79c33ec9942ab8353589fcb2e04dc\"}\n"
                + "{\"type\":\"attachment\",\"length\":0}\n\n{\"type\":\"attachment\",\"length\":0}\n\n";
        assertThat(parser.parse(bytes(two)).items()).hasSize(2).allSatisfy(i -> assertThat(i.payload()).isEmpty());
        String noFinal = two.substring(0, two.length() - 1);
        assertThat(parser.parse(bytes(noFinal)).items()).hasSize(2).allSatisfy(i -> assertThat(i.payload()).isEmpty());
        String noNewlineAfterLastHeader = two.substring(0, two.length() - 2);
        assertThat(parser.parse(bytes(noNewlineAfterLastHeader)).items()).hasSize(2);
    }

    @Test
    void implicitLengthRunsToNewlineOrEndAndKeepsCarriageReturn() {
        SentryEnvelope env = parser.parse(bytes("{}\n{\"type\":\"session\"}\n{\"started\":1}\r\n{\"type\":\"x\"}\nabc"));
        assertThat(env.items()).hasSize(2);
        assertThat(text(env.items().get(0))).isEqualTo("{\"started\":1}\r");
        assertThat(text(env.items().get(1))).isEqualTo("abc");
    }

    @Test
    void implicitLengthAtEndWithoutFinalNewline() {
        SentryEnvelope env = parser.parse(bytes("{}\n{\"type\":\"session\"}\n{\"sid\":\"a\"}"));
        assertThat(text(env.items().get(0))).isEqualTo("{\"sid\":\"a\"}");
    }

    @Test
    void explicitLengthMayContainNewlines() {
        SentryEnvelope env = parser.parse(bytes("{}\n{\"type\":\"attachment\",\"length\":6}\na\nb\r\nc\n"));
        assertThat(text(env.items().get(0))).isEqualTo("a\nb\r\nc");
    }

    @Test
    void emptyEnvelopesAreValid() {
        assertThat(parser.parse(bytes("{}")).isEmpty()).isTrue();
        assertThat(parser.parse(bytes("{}\n")).isEmpty()).isTrue();
        assertThat(parser.parse(bytes("{\"event_id\":\"9ec79c33ec9942ab8353589fcb2e04dc\"}\n")).isEmpty()).isTrue();
        assertThat(parser.parse(bytes("{}\r\n")).isEmpty()).isTrue();
    }

    @Test
    void explicitLengthNotFollowedByNewlineIsMalformed() {
        assertThatThrownBy(() -> parser.parse(bytes("{}\n{\"type\":\"event\",\"length\":2}\n{} \n")))
                .isInstanceOf(EnvelopeFormatException.class).hasMessageContaining("not followed by a newline");
        assertThatThrownBy(() -> parser.parse(bytes("{}\n{\"type\":\"event\",\"length\":2}\n{}\r\n")))
                .isInstanceOf(EnvelopeFormatException.class);
    }

    @Test
    void payloadShorterThanItsLengthIsMalformed() {
        assertThatThrownBy(() -> parser.parse(bytes("{}\n{\"type\":\"event\",\"length\":20}\n{}\n")))
                .isInstanceOf(EnvelopeFormatException.class).hasMessageContaining("shorter than its length");
    }

    @Test
    void badHeadersAreMalformed() {
        assertThatThrownBy(() -> parser.parse(bytes("not json\n"))).isInstanceOf(EnvelopeFormatException.class);
        assertThatThrownBy(() -> parser.parse(bytes("[]\n"))).isInstanceOf(EnvelopeFormatException.class);
        assertThatThrownBy(() -> parser.parse(bytes("{} {}\n"))).isInstanceOf(EnvelopeFormatException.class);
        assertThatThrownBy(() -> parser.parse(bytes("{}\n{\"length\":2}\n{}\n")))
                .isInstanceOf(EnvelopeFormatException.class).hasMessageContaining("type");
        assertThatThrownBy(() -> parser.parse(bytes("{}\n{\"type\":\"event\",\"length\":-1}\n{}\n")))
                .isInstanceOf(EnvelopeFormatException.class);
        assertThatThrownBy(() -> parser.parse(bytes("{}\n{\"type\":\"event\",\"length\":\"2\"}\n{}\n")))
                .isInstanceOf(EnvelopeFormatException.class);
    }

    @Test
    void itemLargerThanItsTypeAllowsIsRefusedWithSentryWording() {
        SentryEnvelopeParser small = new SentryEnvelopeParser(type -> type.equals("event") ? 5 : 100);
        assertThatThrownBy(() -> small.parse(bytes("{}\n{\"type\":\"event\",\"length\":6}\n{\"a\":}\n")))
                .isInstanceOf(ItemTooLargeException.class)
                .hasMessage("envelope exceeded size limits for type 'event' "
                        + "(https://develop.sentry.dev/sdk/envelopes/#size-limits)");
        assertThatThrownBy(() -> small.parse(bytes("{}\n{\"type\":\"event\"}\n{\"a\":1}\n")))
                .isInstanceOf(ItemTooLargeException.class);
        assertThat(small.parse(bytes("{}\n{\"type\":\"session\"}\n{\"a\":1}\n")).items()).hasSize(1);
    }

    @Test
    void everyEnvelopeFixtureFrames() throws Exception {
        for (String name : new String[] {"sentry-java__sentry-android-core__envelopes_feedback.txt",
                "sentry-java__sentry-android-core__envelopes_java-event.txt",
                "sentry-java__sentry-android-core__envelopes_session.txt",
                "sentry-java__sentry__envelope-event-attachment.txt",
                "sentry-java__sentry__envelope-session-start.txt",
                "sentry-java__sentry__envelope-transaction.txt",
                "sentry-java__sentry__envelope_session_sdkversion.txt"}) {
            SentryEnvelope env = new SentryEnvelopeParser(type -> 1 << 20)
                    .parse(Files.readAllBytes(SharedFiles.protocols("sentry/payloads/" + name)));
            assertThat(env.items()).as(name).isNotEmpty();
        }
        SentryEnvelope withAttachments = new SentryEnvelopeParser(type -> 1 << 20).parse(Files.readAllBytes(
                SharedFiles.protocols("sentry/payloads/sentry-java__sentry__envelope-event-attachment.txt")));
        assertThat(withAttachments.items()).extracting(SentryEnvelope.Item::type)
                .containsExactly("event", "attachment", "attachment");
        assertThat(text(withAttachments.items().get(2))).isEqualTo("attachment\nwith\nline breaks\n\n");
    }
}
