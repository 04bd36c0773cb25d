package dev.beatline.processor.grouping;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each parameterization pattern of Sentry's message normalization. */
class MessageParameterizerTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "testing testing 1, 2, 3 | testing testing <int>, <int>, <int>",
        "balance -42 left | balance <int> left",
        "took 3.14 units | took <float> units",
        "bad pointer 0x7fff5fbff8c8 | bad pointer <hex>",
        "object deadbeef1 gone | object <hex> gone",
        "id 12345678 is hex-like | id <hex> is hex-like",
        "request 550e8400-e29b-41d4-a716-446655440000 failed | request <uuid> failed",
        "commit 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12 | commit <sha1>",
        "file d41d8cd98f00b204e9800998ecf8427e | file <md5>",
        "deployed a1b2c3d today | deployed <git_sha> today",
        "from 192.168.0.1 | from <ip>",
        "from fe80:0:0:0:202:b3ff:fe1e:8329 | from <ip>",
        "mail bob@example.com now | mail <email> now",
        "GET https://example.com/a?b=1 failed | GET <url> failed",
        "host db.example.com down | host <hostname> down",
        "at 2024-01-15T10:30:00Z ok | at <date> ok",
        "on 2024-01-15 ok | on <date> ok",
        "timeout after 250ms | timeout after <duration>",
        "timeout after 1.5s | timeout after <duration>",
        "trace 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01 | trace <traceparent>",
        "key='secret' | key=<quoted_str>",
        "enabled=true | enabled=<bool>",
    })
    void replacesEventSpecificValues(String message, String expected) {
        assertThat(MessageParameterizer.normalize(message)).isEqualTo(expected);
    }

    @Test
    void keepsTwoNonEmptyLines() {
        assertThat(MessageParameterizer.normalize("first\n\nsecond\nthird")).isEqualTo("first\nsecond...");
        assertThat(MessageParameterizer.normalize("one line")).isEqualTo("one line");
    }

    @Test
    void leavesPlainWordsAlone() {
        assertThat(MessageParameterizer.normalize("Connection refused")).isEqualTo("Connection refused");
        assertThat(MessageParameterizer.normalize("SomeClass::someMethod()")).isEqualTo("SomeClass::someMethod()");
    }
}
