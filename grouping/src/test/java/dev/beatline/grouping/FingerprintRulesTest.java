package dev.beatline.grouping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beatline.model.ErrorEvent;
import dev.beatline.model.ExceptionInfo;
import dev.beatline.model.StackFrame;
import dev.beatline.model.TestEvents;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Sentry's fingerprint rules: syntax, each matcher, and how a matching rule changes the grouping. */
class FingerprintRulesTest {

    /** java.lang.IllegalStateException "payment declined for order 1234"; frames FrameworkServlet.service, CheckoutController.pay (in-app). */
    private static final ErrorEvent EVENT = TestEvents.error(1, "shop");

    private static String matchedFingerprint(String rules, ErrorEvent event) {
        FingerprintRules.Match m = FingerprintRules.parse(rules).match(event, StackTraceRules.builtIn());
        return m == null ? null : String.join(",", m.fingerprint());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "error.type:java.lang.IllegalStateException -> illegal | illegal",
        "type:*IllegalState* -> illegal | illegal",
        "error.type:*illegalstate* -> x | ",
        "error.value:\"PAYMENT declined*\" -> declined | declined",
        "message:\"*ORDER 1234\" -> from-value | from-value",
        "!error.type:java.lang.IllegalStateException -> other | ",
        "stack.function:pay app:yes -> pay-in-app | pay-in-app",
        "stack.function:service app:yes -> service-in-app | ",
        "stack.module:com.other.* -> other | ",
        "stack.module:org.springframework.* -> spring | spring",
        "path:**/CheckoutController.java -> checkout-file | checkout-file",
        "stack.abs_path:FrameworkServlet.* -> servlet | servlet",
        "level:ERROR -> errors | errors",
        "logger:* -> logged | ",
        "tags.team:checkout -> team | team",
        "tags.team:Checkout -> team | ",
        "family:javascript,native -> native | ",
        "family:other -> other | other",
        "sdk:java -> java-agent | java-agent",
        "release:1.4.* -> v14 | v14",
        "error.type:java.lang.IllegalStateException error.value:nothing* -> both | ",
        "error.type:java.lang.IllegalStateException stack.function:pay -> type-and-frame | type-and-frame",
    })
    void eachMatcher(String rule, String expected) {
        assertThat(matchedFingerprint(rule, EVENT)).isEqualTo(expected);
    }

    @Test
    void matchersOfOneKindMustHoldForOneItem() {
        ErrorEvent twoFrames = withFrames(List.of(StackFrame.of("a.A", "alpha", "A.java", 1, true),
                StackFrame.of("b.B", "beta", "B.java", 2, true)));
        assertThat(matchedFingerprint("function:alpha module:b.B -> mixed", twoFrames)).isNull();
        assertThat(matchedFingerprint("function:beta module:b.B -> same-frame", twoFrames)).isEqualTo("same-frame");
    }

    @Test
    void aNegatedMatcherNeedsSomethingToLookAt() {
        ErrorEvent noException = new ErrorEvent(EVENT.header(), null, "error", "boom", null, null, null, List.of(),
                null, null, "java", null, null, null, null, null);
        assertThat(matchedFingerprint("!error.type:Foo -> no-foo", noException)).isNull();
        assertThat(matchedFingerprint("!error.type:Foo -> no-foo", EVENT)).isEqualTo("no-foo");
    }

    @Test
    void theFirstMatchingRuleWinsAndCarriesItsTitle() {
        FingerprintRules.Match m = FingerprintRules.parse("""
                # comments and blank lines are fine

                error.type:Nope -> nope
                error.type:java.lang.IllegalStateException -> payment-errors, {{ transaction }} title="Payments failing"
                level:error -> errors
                """).match(EVENT, StackTraceRules.builtIn());
        assertThat(m.fingerprint()).containsExactly("payment-errors", "{{ transaction }}");
        assertThat(m.title()).isEqualTo("Payments failing");
    }

    @Test
    void readsSentrysExampleWithVariablesGluedToText() {
        ErrorEvent logged = new ErrorEvent(EVENT.header(), null, "error", "Love not found.", null,
                "sentry.example.love", null, List.of(), null, null, "python", null, null, null, null, null);
        Grouping g = new Fingerprinter(StackTraceRules.builtIn(),
                FingerprintRules.parse("logger:\"sentry.*\" level:\"ERROR\" -> \"log-{{ logger }}-{{ level }}\""))
                .group(logged);
        // a quoted entry is one entry; Sentry's snapshot shows the unquoted form split into four
        assertThat(g.primary().component().values()).containsExactly("log-{{ logger }}-{{ level }}");
        Grouping split = new Fingerprinter(StackTraceRules.builtIn(),
                FingerprintRules.parse("logger:\"sentry.*\" level:\"ERROR\" -> log-{{ logger }}-{{ level }}")).group(logged);
        assertThat(split.primary().name()).isEqualTo("custom-fingerprint");
        assertThat(split.primary().component().values()).containsExactly("log-", "sentry.example.love", "-", "error");
        assertThat(split.primary().hash()).isEqualTo(GroupingHasher.hash(List.of("log-", "sentry.example.love", "-", "error")));
    }

    @Test
    void aRuleOverridesTheSdkFingerprintAndDefaultKeepsTheNormalGrouping() {
        ErrorEvent sdkFingerprint = withFingerprint(List.of("from-sdk"));
        Fingerprinter rules = new Fingerprinter(StackTraceRules.builtIn(),
                FingerprintRules.parse("error.type:java.lang.IllegalStateException -> server-side"));
        assertThat(rules.fingerprint(sdkFingerprint).fingerprint()).isEqualTo(GroupingHasher.hash(List.of("server-side")));

        Fingerprinter hybrid = new Fingerprinter(StackTraceRules.builtIn(),
                FingerprintRules.parse("stack.function:pay -> {{default}}, checkout"));
        String plain = new Fingerprinter().fingerprint(EVENT).fingerprint();
        String salted = hybrid.fingerprint(EVENT).fingerprint();
        assertThat(salted).isNotEqualTo(plain);
        assertThat(hybrid.fingerprint(withFingerprint(List.of("{{ default }}", "checkout"))).fingerprint())
                .as("same as the SDK sending {{ default }}, checkout").isEqualTo(salted);
        assertThat(new Fingerprinter().fingerprint(EVENT).title()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "error.type:Foo | line 2: expected '->' after the matchers",
        "colour:red -> x | line 2: unknown matcher 'colour'",
        "error.type:Foo -> | line 2: a rule needs a fingerprint after '->'",
        "-> x | line 2: a rule needs at least one matcher before '->'",
        "message:\"unclosed -> x | line 2: unclosed quote at column 9",
        "error.type:Foo -> x colour=\"red\" | line 2: unknown attribute 'colour'",
        "app:maybe -> x | line 2: app: expects yes or no, not 'maybe'",
        "error.type:Foo -> {{ default | line 2: unclosed '{{'",
    })
    void unreadableRulesNameTheLineAndTheProblem(String rule, String message) {
        assertThatThrownBy(() -> FingerprintRules.parse("# first line\n" + rule))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("fingerprint rules, " + message);
    }

    private static ErrorEvent withFrames(List<StackFrame> frames) {
        ExceptionInfo ex = new ExceptionInfo("Boom", "boom", null, false, null, frames);
        return new ErrorEvent(EVENT.header(), null, "error", null, null, null, null, List.of(ex), null, null, "java",
                null, null, null, null, null);
    }

    private static ErrorEvent withFingerprint(List<String> fingerprint) {
        return new ErrorEvent(EVENT.header(), EVENT.trace(), EVENT.level(), EVENT.message(), EVENT.paramMessage(),
                EVENT.loggerName(), EVENT.culprit(), EVENT.exceptions(), EVENT.logStacktrace(), fingerprint,
                EVENT.platform(), EVENT.transactionName(), EVENT.transactionType(), EVENT.request(), EVENT.breadcrumbs(),
                EVENT.contexts());
    }
}
