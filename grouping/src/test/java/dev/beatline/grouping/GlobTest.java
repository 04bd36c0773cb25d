package dev.beatline.grouping;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Sentry's globs, including the literal checks that run before the regular expression. */
class GlobTest {

    @ParameterizedTest(name = "{0} ~ {1} (path {2}, ignore case {3}) = {4}")
    @CsvSource({
        "java.*, java.util.List, false, false, true",
        "java.*, javax.servlet.Filter, false, false, false",
        "java.*, com.example.java.Thing, false, false, false",
        "*Exception, java.lang.IllegalStateException, false, false, true",
        "*Exception, java.lang.Error, false, false, false",
        "org.*.web.*, org.springframework.web.servlet, false, false, true",
        "org.*.web.*, org.springframework.webflux, false, false, false",
        "a*b*c, abc, false, false, true",
        "a*b*c, acb, false, false, false",
        "ab*ab, ab, false, false, false",
        "nextTick, nextTick, false, false, true",
        "nextTick, nextTicks, false, false, false",
        "Foo, foo, false, false, false",
        "Foo, foo, false, true, true",
        "get?, getX, false, false, true",
        "get?, get, false, false, false",
        "[ab]ar, bar, false, false, true",
        "[ab]ar, car, false, false, false",
        "a\\*b, a*b, false, false, true",
        "a\\*b, axb, false, false, false",
        "**/node_modules/**, /srv/app/node_modules/left-pad/index.js, true, true, true",
        "**/node_modules/**, /srv/app/src/index.js, true, true, false",
        "/srv/*.js, /srv/app/index.js, true, true, false",
        "/srv/**.js, /srv/app/index.js, true, true, true",
        "**/Vendor/**, /x/vendor/y.php, true, true, true",
    })
    void matches(String glob, String value, boolean pathMode, boolean ignoreCase, boolean expected) {
        assertThat(Glob.compile(glob, pathMode, ignoreCase).matches(value)).isEqualTo(expected);
    }
}
