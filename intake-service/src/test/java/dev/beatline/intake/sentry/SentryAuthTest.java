package dev.beatline.intake.sentry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SentryAuthTest {

    private static final Map<String, List<String>> NO_QUERY = Map.of();

    @Test
    void eachSingleSourceNamesTheKey() {
        assertThat(SentryAuth.fromRequest("Sentry sentry_version=7,sentry_client=sentry.java/8.62.0,sentry_key=abc",
                null, NO_QUERY)).isEqualTo("abc");
        assertThat(SentryAuth.fromRequest("sentry sentry_key=abc, sentry_secret=s", null, NO_QUERY)).isEqualTo("abc");
        assertThat(SentryAuth.fromRequest(null, "Sentry sentry_key=abc, sentry_version=7", NO_QUERY)).isEqualTo("abc");
        String basic = Base64.getEncoder().encodeToString("abc:".getBytes(StandardCharsets.UTF_8));
        assertThat(SentryAuth.fromRequest(null, "Basic " + basic, NO_QUERY)).isEqualTo("abc");
        assertThat(SentryAuth.fromRequest(null, null, Map.of("sentry_key", List.of("abc")))).isEqualTo("abc");
        assertThat(SentryAuth.fromRequest(null, "Bearer x", NO_QUERY)).isNull();
    }

    @Test
    void moreThanOneSourceIs401() {
        assertThatThrownBy(() -> SentryAuth.fromRequest("Sentry sentry_key=abc", null, Map.of("sentry_key", List.of("abc"))))
                .isInstanceOf(SentryAuthException.class).hasMessage("multiple authorization payloads detected")
                .extracting(e -> ((SentryAuthException) e).status()).isEqualTo(401);
    }

    @Test
    void headerWithoutKeyIs401() {
        assertThatThrownBy(() -> SentryAuth.fromRequest("Sentry sentry_version=7", null, NO_QUERY))
                .hasMessage("bad x-sentry-auth header");
    }

    @Test
    void envelopeDsnAloneOrMatchingIsAcceptedElseRefused() {
        String dsn = "https://e12d836b15bb49d7bbf99e64295d995b:@sentry.io/42";
        assertThat(SentryAuth.resolve(null, dsn, 42)).isEqualTo("e12d836b15bb49d7bbf99e64295d995b");
        assertThat(SentryAuth.resolve("e12d836b15bb49d7bbf99e64295d995b", dsn, 42)).isEqualTo("e12d836b15bb49d7bbf99e64295d995b");
        assertThatThrownBy(() -> SentryAuth.resolve("other", dsn, 42)).isInstanceOf(SentryAuthException.class);
        assertThatThrownBy(() -> SentryAuth.resolve(null, dsn, 43))
                .extracting(e -> ((SentryAuthException) e).status()).isEqualTo(403);
        assertThatThrownBy(() -> SentryAuth.resolve(null, null, 42)).hasMessage("missing authorization information");
    }
}
