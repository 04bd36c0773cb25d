package dev.beatline.processor.scrubbing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beatline.model.Breadcrumb;
import dev.beatline.model.ErrorEvent;
import dev.beatline.model.ExceptionInfo;
import dev.beatline.model.HttpRequest;
import dev.beatline.model.StackFrame;
import dev.beatline.model.TestEvents;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScrubberTest {

    private final Scrubber scrubber = new Scrubber(true, List.of("ssn"));

    private static ErrorEvent withRequest(ErrorEvent e, HttpRequest request, List<Breadcrumb> crumbs,
            Map<String, Object> contexts, List<ExceptionInfo> exceptions) {
        return new ErrorEvent(e.header(), e.trace(), e.level(), e.message(), e.paramMessage(), e.loggerName(),
                e.culprit(), exceptions, e.logStacktrace(), e.fingerprint(), e.platform(), e.transactionName(),
                e.transactionType(), request, crumbs, contexts);
    }

    @Test
    void authorizationCookieAndSetCookieHeadersAreFilteredInAnyCase() {
        Map<String, Object> headers = scrubber.scrubMap(Map.of("AUTHORIZATION", "Bearer abc", "cookie", "sid=1",
                "Set-Cookie", "sid=2; HttpOnly", "User-Agent", "curl/8", "X-Api-Key", "k1"));
        assertThat(headers).containsEntry("AUTHORIZATION", Scrubber.FILTERED).containsEntry("cookie", Scrubber.FILTERED)
                .containsEntry("Set-Cookie", Scrubber.FILTERED).containsEntry("X-Api-Key", Scrubber.FILTERED)
                .containsEntry("User-Agent", "curl/8");
    }

    @Test
    void sensitiveFieldsAreFilteredEverywhereInTheEvent() {
        ErrorEvent base = TestEvents.error(1, "shop");
        StackFrame frame = new StackFrame("login", "com.example.Auth", "Auth.java", null, 10, null, true, null, null,
                null, Map.of("password", "hunter2", "user", "ada", "nested", Map.of("db_passwd", "x", "n", 3)), null);
        ErrorEvent e = withRequest(base,
                new HttpRequest("POST", "https://shop.example.com/login?user=ada&token=t0k&x=1",
                        "user=ada&api_key=abc&x=1", Map.of("Authorization", "Basic Zm9v"),
                        Map.of("JSESSIONID", "s1", "theme", "dark"),
                        Map.of("username", "ada", "password", "hunter2", "ssn", "078-05-1120"),
                        Map.of("DB_SECRET", "s", "PATH", "/usr/bin"), "1.1"),
                List.of(new Breadcrumb(Instant.EPOCH, "http", "xhr", "info", "paid with 4111 1111 1111 1111",
                        Map.of("credentials", "c", "url", "/x"))),
                Map.of("app", Map.of("session_id", "abc", "name", "shop")),
                List.of(new ExceptionInfo("E", "card 4111111111111111 declined", null, null, null, List.of(frame))));

        ErrorEvent s = scrubber.scrub(e);

        assertThat(s.request().url()).isEqualTo("https://shop.example.com/login?user=ada&token=[Filtered]&x=1");
        assertThat(s.request().queryString()).isEqualTo("user=ada&api_key=[Filtered]&x=1");
        assertThat(s.request().headers()).containsEntry("Authorization", Scrubber.FILTERED);
        assertThat(s.request().cookies()).containsEntry("JSESSIONID", Scrubber.FILTERED).containsEntry("theme", "dark");
        assertThat((Map<String, Object>) s.request().body()).containsEntry("password", Scrubber.FILTERED)
                .containsEntry("ssn", Scrubber.FILTERED).containsEntry("username", "ada");
        assertThat(s.request().env()).containsEntry("DB_SECRET", Scrubber.FILTERED).containsEntry("PATH", "/usr/bin");
        assertThat(s.breadcrumbs().get(0).message()).isEqualTo("paid with [Filtered]");
        assertThat(s.breadcrumbs().get(0).data()).containsEntry("credentials", Scrubber.FILTERED)
                .containsEntry("url", "/x");
        assertThat((Map<String, Object>) s.contexts().get("app")).containsEntry("session_id", Scrubber.FILTERED)
                .containsEntry("name", "shop");
        assertThat(s.thrownException().value()).isEqualTo("card [Filtered] declined");
        Map<String, Object> vars = s.thrownException().frames().get(0).vars();
        assertThat(vars).containsEntry("password", Scrubber.FILTERED).containsEntry("user", "ada");
        assertThat((Map<String, Object>) vars.get("nested")).containsEntry("db_passwd", Scrubber.FILTERED)
                .containsEntry("n", 3);
        assertThat(s.header().eventId()).isEqualTo(e.header().eventId());
    }

    @Test
    void jsonAndFormBodiesAreScrubbedByField() {
        HttpRequest json = new HttpRequest("POST", null, null, null, null,
                "{\"user\":\"ada\",\"password\":\"hunter2\"}", null, null);
        HttpRequest form = new HttpRequest("POST", null, null, null, null, "user=ada&passwd=hunter2", null, null);
        ErrorEvent base = TestEvents.error(1, "shop");
        assertThat(scrubber.scrub(withRequest(base, json, null, null, base.exceptions())).request().body())
                .isEqualTo("{\"user\":\"ada\",\"password\":\"[Filtered]\"}");
        assertThat(scrubber.scrub(withRequest(base, form, null, null, base.exceptions())).request().body())
                .isEqualTo("user=ada&passwd=[Filtered]");
    }

    @Test
    void onlyLuhnValidCardNumbersOfThirteenToNineteenDigitsAreFiltered() {
        assertThat(scrubber.scrubString("visa 4111-1111-1111-1111 ok")).isEqualTo("visa [Filtered] ok");
        assertThat(scrubber.scrubString("amex 378282246310005")).isEqualTo("amex [Filtered]");
        assertThat(scrubber.scrubString("not luhn 4111111111111112")).contains("4111111111111112");
        assertThat(scrubber.scrubString("too short 411111111111")).contains("411111111111");
        assertThat(scrubber.scrubString("part of a longer number 94111111111111111")).contains("94111111111111111");
        assertThat(scrubber.scrubString("epoch millis 1767225600000")).contains("1767225600000");
        assertThat(Scrubber.luhnValid("4111111111111111")).isTrue();
        assertThat(Scrubber.luhnValid("4111111111111112")).isFalse();
    }

    @Test
    void extraFieldNamesAreConfigurableAndScrubbingCanBeTurnedOff() {
        assertThat(scrubber.isSensitive("customer_SSN")).isTrue();
        assertThat(new Scrubber(true, List.of()).isSensitive("customer_SSN")).isFalse();
        ErrorEvent e = TestEvents.error(1, "shop");
        assertThat(new Scrubber(false, List.of()).scrub(e)).isSameAs(e);
    }
}
