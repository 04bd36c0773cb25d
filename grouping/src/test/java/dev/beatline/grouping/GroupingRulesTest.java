package dev.beatline.grouping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beatline.model.ErrorEvent;
import dev.beatline.model.ExceptionInfo;
import dev.beatline.model.StackFrame;
import dev.beatline.model.TestEvents;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each grouping rule on its own. */
class GroupingRulesTest {

    private final Fingerprinter fingerprinter = new Fingerprinter();

    private static StackFrame frame(String module, String function, Integer line, Boolean inApp) {
        return StackFrame.of(module, function, null, line, inApp);
    }

    private static StackFrame jsFrame(String filename, String function, String contextLine, Boolean inApp) {
        return new StackFrame(function, null, filename, null, 1, 1, inApp, contextLine, null, null, null, null);
    }

    private static ErrorEvent event(String platform, List<ExceptionInfo> exceptions, List<StackFrame> logStack,
            String message, String paramMessage, List<String> fingerprint) {
        return new ErrorEvent(TestEvents.header(1, "svc"), null, "error", message, paramMessage, null, null,
                exceptions, logStack, fingerprint, platform, null, null, null, null, null);
    }

    private static ErrorEvent javaError(String type, String value, StackFrame... frames) {
        return event("java", List.of(new ExceptionInfo(type, value, null, null, null, List.of(frames))), null, null,
                null, null);
    }

    private static String md5(String... values) {
        return GroupingHasher.hash(List.of(values));
    }

    @Test
    void javaLambdaClassIsIgnoredSoOnlyTheFunctionCounts() {
        // Sentry snapshot frame_ignores_java8_lambda_module: system hash md5("call")
        ErrorEvent e = event("java", List.of(), List.of(frame("foo.bar.Baz$$Lambda$40/1673859467", "call", 3, null)),
                null, null, null);
        assertThat(fingerprinter.group(e).hash("system")).isEqualTo("53b9e9679a8ea25880376080b76f98ad");
    }

    @Test
    void javaLambdaFunctionIsIgnored() {
        GroupingResult a = fingerprinter.fingerprint(javaError("E", null, frame("com.x.Foo", "lambda$run$0", 1, true),
                frame("com.x.Foo", "bar", 2, true)));
        GroupingResult b = fingerprinter.fingerprint(javaError("E", null, frame("com.x.Foo", "lambda$run$7", 1, true),
                frame("com.x.Foo", "bar", 2, true)));
        // only the function is ignored; the frame still contributes its class
        assertThat(a.fingerprint()).isEqualTo(b.fingerprint()).isEqualTo(md5("com.x.Foo", "com.x.Foo", "bar", "E"));
        assertThat(a.components()).containsExactly("frame: module=com.x.Foo", "frame: module=com.x.Foo function=bar",
                "exception.type: E");
    }

    @ParameterizedTest
    @CsvSource({
        "com.x.Foo$$EnhancerBySpringCGLIB$$1ebdddb0, com.x.Foo$$EnhancerBySpringCGLIB$$<auto>",
        "com.x.Foo_$$_javassist_74, com.x.Foo_$$_javassist<auto>",
        "com.x.User$HibernateProxy$oRWxjAWT, com.x.User$HibernateProxy$<auto>",
        "sun.reflect.GeneratedMethodAccessor123, sun.reflect.GeneratedMethodAccessor",
        "jdk.internal.reflect.GeneratedMethodAccessor9, jdk.internal.reflect.GeneratedMethodAccessor",
        "sun.reflect.GeneratedConstructorAccessor45, sun.reflect.GeneratedConstructorAccessor<auto>",
        "com.x.Api$$EnhancerByGuice$$ae46b1bf, com.x.Api$$EnhancerByGuice$$<auto>",
        "myapp.core$fn__12345, myapp.core$fn__<auto>",
    })
    void javaGeneratedClassNamesLoseTheirRandomPart(String module, String normalized) {
        ErrorEvent e = event("java", List.of(), List.of(frame(module, "invoke", 1, null)), null, null, null);
        assertThat(fingerprinter.group(e).hash("system")).isEqualTo(md5(normalized, "invoke"));
    }

    @Test
    void lineAndColumnNumbersNeverCount() {
        assertThat(fingerprinter.fingerprint(javaError("E", "x", frame("com.x.Foo", "bar", 10, true))).fingerprint())
                .isEqualTo(fingerprinter.fingerprint(javaError("E", "x", frame("com.x.Foo", "bar", 99, true)))
                        .fingerprint());
    }

    @Test
    void builtInRulesTakeFrameworkFramesOutOfTheApp() {
        ErrorEvent e = javaError("java.lang.IllegalStateException", "boom",
                frame("java.lang.Thread", "run", 1, true),
                frame("org.springframework.web.servlet.DispatcherServlet", "doDispatch", 2, true),
                frame("javax.servlet.http.HttpServlet", "service", 3, true),
                frame("org.apache.catalina.core.StandardWrapper", "invoke", 4, true),
                frame("com.shop.OrderService", "place", 5, null));
        Grouping g = fingerprinter.group(e);
        assertThat(g.hash("app")).as("no in-app frame left").isNull();
        assertThat(g.hash("system")).isEqualTo(md5("java.lang.Thread", "run",
                "org.springframework.web.servlet.DispatcherServlet", "doDispatch", "javax.servlet.http.HttpServlet",
                "service", "org.apache.catalina.core.StandardWrapper", "invoke", "com.shop.OrderService", "place",
                "java.lang.IllegalStateException"));
    }

    @Test
    void appVariantUsesInAppFramesOnlyAndWinsOverSystem() {
        ErrorEvent e = javaError("E", "boom", frame("org.springframework.Foo", "call", 1, null),
                frame("com.shop.OrderService", "place", 2, true));
        Grouping g = fingerprinter.group(e);
        assertThat(g.hash("app")).isEqualTo(md5("com.shop.OrderService", "place", "E"));
        assertThat(g.hash("system")).isEqualTo(md5("org.springframework.Foo", "call", "com.shop.OrderService",
                "place", "E"));
        assertThat(g.hashes()).containsExactly(g.hash("app"), g.hash("system"));
        assertThat(fingerprinter.fingerprint(e).fingerprint()).isEqualTo(g.hash("app"));
    }

    @Test
    void pathRulesForNodeModulesSitePackagesAndVendor() {
        for (String path : List.of("/app/node_modules/express/router.js", "/usr/lib/python3/site-packages/x/y.py",
                "/srv/app/vendor/lib/z.php")) {
            ErrorEvent e = event("other", List.of(new ExceptionInfo("E", null, null, null, null,
                    List.of(jsFrame(path, "f", null, true)))), null, null, null, null);
            assertThat(fingerprinter.group(e).hash("app")).as(path).isNull();
        }
    }

    @Test
    void javaScriptAnonymousFunctionsAreIgnoredAndMethodsTrimmed() {
        ErrorEvent anonymous = event("javascript", List.of(new ExceptionInfo("TypeError", "x", null, null, null,
                List.of(jsFrame("/app/a.js", "<anonymous>", null, true), jsFrame("/app/b.js", "Object.load", null,
                        true)))), null, null, null, null);
        assertThat(fingerprinter.fingerprint(anonymous).fingerprint()).isEqualTo(md5("a.js", "b.js", "load", "TypeError"));
    }

    @Test
    void scriptPlatformsGroupByContextLineButJavaDoesNot() {
        StackFrame f = jsFrame("/app/views.py", "index", "  return   render(request)  ", true);
        ErrorEvent python = event("python", List.of(new ExceptionInfo("KeyError", "k", null, null, null, List.of(f))),
                null, null, null, null);
        assertThat(fingerprinter.fingerprint(python).fingerprint()).isEqualTo(md5("views.py", "index",
                "return render(request)", "KeyError"));
        ErrorEvent java = event("java", List.of(new ExceptionInfo("KeyError", "k", null, null, null, List.of(f))),
                null, null, null, null);
        assertThat(fingerprinter.fingerprint(java).fingerprint()).isEqualTo(md5("views.py", "index", "KeyError"));
    }

    @Test
    void recursionCollapses() {
        StackFrame rec = frame("com.x.Tree", "walk", 42, true);
        GroupingResult deep = fingerprinter.fingerprint(javaError("StackOverflowError", null, rec, rec, rec, rec));
        GroupingResult shallow = fingerprinter.fingerprint(javaError("StackOverflowError", null, rec));
        assertThat(deep.fingerprint()).isEqualTo(shallow.fingerprint());
    }

    @Test
    void exceptionValueCountsOnlyWithoutAStackTrace() {
        GroupingResult noFrames = fingerprinter.fingerprint(javaError("E", "order 1234 failed"));
        assertThat(noFrames.fingerprint()).isEqualTo(md5("E", "order <int> failed"));
        assertThat(noFrames.components()).containsExactly("exception.type: E", "exception.value: order <int> failed");
        GroupingResult withFrames = fingerprinter.fingerprint(javaError("E", "order 1234 failed",
                frame("com.x.Foo", "bar", 1, true)));
        assertThat(withFrames.fingerprint()).isEqualTo(md5("com.x.Foo", "bar", "E"));
    }

    @Test
    void chainedExceptionsContributeInOrder() {
        ErrorEvent e = event("java", List.of(
                new ExceptionInfo("java.net.BindException", "in use", null, null, null,
                        List.of(frame("com.x.Server", "bind", 1, true))),
                new ExceptionInfo("com.x.StartupException", "failed", null, null, null,
                        List.of(frame("com.x.Main", "main", 1, true)))), null, null, null, null);
        assertThat(fingerprinter.fingerprint(e).fingerprint()).isEqualTo(md5("com.x.Server", "bind",
                "java.net.BindException", "com.x.Main", "main", "com.x.StartupException"));
    }

    @Test
    void customFingerprintReplacesGroupingAndResolvesVariables() {
        // Sentry snapshot custom_fingerprint: md5("celery", "SoftTimeLimitExceeded", "sentry.tasks.store.process_event")
        ErrorEvent e = event("python", List.of(new ExceptionInfo("SoftTimeLimitExceeded", "x", null, null, null,
                List.of(jsFrame("store.py", "sentry.tasks.store.process_event", null, true)))), null, null, null,
                List.of("celery", "{{ type }}", "{{function}}"));
        GroupingResult r = fingerprinter.fingerprint(e);
        assertThat(r.fingerprint()).isEqualTo("f30afa00b85f5cac5ee0bce01b31f08d");
        assertThat(r.components()).containsExactly("fingerprint: celery", "fingerprint: SoftTimeLimitExceeded",
                "fingerprint: sentry.tasks.store.process_event");
        assertThat(fingerprinter.group(e).hash("app")).isNull();
    }

    @Test
    void defaultPlaceholderSaltsTheNormalGrouping() {
        ErrorEvent plain = javaError("E", null, frame("com.x.Foo", "bar", 1, true));
        ErrorEvent salted = event("java", plain.exceptions(), null, null, null, List.of("{{ default }}", "tenant-7"));
        ErrorEvent onlyDefault = event("java", plain.exceptions(), null, null, null, List.of("{{default}}"));
        assertThat(fingerprinter.fingerprint(salted).fingerprint()).isEqualTo(md5("com.x.Foo", "bar", "E", "tenant-7"));
        assertThat(fingerprinter.fingerprint(onlyDefault).fingerprint())
                .isEqualTo(fingerprinter.fingerprint(plain).fingerprint());
    }

    @Test
    void messageTemplateIsPreferredAndParameterized() {
        ErrorEvent elasticLog = event("java", List.of(), null, "User 42 not found", "User %s not found", null);
        assertThat(fingerprinter.fingerprint(elasticLog).fingerprint()).isEqualTo(md5("User %s not found"));
        ErrorEvent formattedOnly = event("java", List.of(), null, "User 42 not found", null, null);
        assertThat(fingerprinter.fingerprint(formattedOnly).components()).containsExactly("message: User <int> not found");
    }

    @Test
    void projectRulesOverrideBuiltInOnes() {
        Fingerprinter withRules = new Fingerprinter(StackTraceRules.builtIn()
                .then(StackTraceRules.parse("module:org.springframework.* +app\nfunction:noise -group")));
        ErrorEvent e = javaError("E", null, frame("org.springframework.Foo", "call", 1, null),
                frame("com.x.Foo", "noise", 2, true));
        Grouping g = withRules.group(e);
        assertThat(g.hash("system")).isEqualTo(md5("org.springframework.Foo", "call", "E"));
        assertThat(g.hash("app")).as("equal to the system hash, so dropped as Sentry does").isNull();
    }

    @Test
    void eventWithNothingToGroupByFallsBack() {
        Grouping g = fingerprinter.group(event("java", List.of(), null, null, null, null));
        assertThat(g.primary().name()).isEqualTo("fallback");
        assertThat(g.primary().hash()).isEqualTo(md5());
    }

    @Test
    void elasticPlatformNamesMapOntoSentrys() {
        assertThat(Platforms.normalize("Java")).isEqualTo("java");
        assertThat(Platforms.normalize("nodejs")).isEqualTo("node");
        assertThat(Platforms.normalize("C#")).isEqualTo("csharp");
        assertThat(Map.of("k", Platforms.family("node"))).containsEntry("k", "javascript");
    }
}
