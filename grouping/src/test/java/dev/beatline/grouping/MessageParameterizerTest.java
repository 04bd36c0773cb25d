package dev.beatline.grouping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /**
     * The fast scan gives exactly what one alternation of all patterns gives (Sentry's definition), on random
     * messages built from values of every placeholder kind, their near misses, glue that touches word
     * boundaries, non-ASCII letters and digits, and characters outside the BMP.
     */
    @Test
    void matchesOneAlternationOfAllPatternsOnRandomMessages() {
        String[] pieces = {
            "bob@example.com", "a.b+c@x-y.org", "@", "x@", "https://example.com/a?b=1", "wss://h:1/p", "ftp://",
            "db.example.com", "EXAMPLE.COM", "a-b.io", "-x.com", "ab_-x.com", "192.168.0.1", "256.1.1.1", "::1",
            "fe80::1%eth0", "2001:db8::ff00:42:8329", "::ffff:10.0.0.1", "a:b", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            "1-5759e988-bd862e3fe1be46a994272793", "550e8400-e29b-41d4-a716-446655440000",
            "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12", "d41d8cd98f00b204e9800998ecf8427e",
            "abcdefabcdefabcdefabcdefabcdefab", "Mon, 15 Jan 2024 10:30 GMT", "Jan 15, 2024", "Tue Jan 15 2024",
            "2024-01-15T10:30:00.123+01:00", "2024-01-15 10:30:00Z", "20240115T103000", "10:30", "9:05 pm",
            "23:59:59", "2024-01-15", "Mon Jan 15 10:30:00 2024", "datetime.datetime(2024, 1, 15)",
            "250ms", "1.5s", "3s", "tx0123456789abcdef01234-0123456789xyz", "0x7fff5fbff8c8", "0XAB",
            "deadbeef1", "DEADBEEF12", "a1b2c3d", "abcdefa", "1234567", "12345678", "-42", "3.14", "-0.5",
            "1.2.3", "v1.2", "x=1", "k='v'", "k=\"v v\"", "on=true", "off=False", "=", "é", "naïve", "٣٤٥",
            "x١٢", "\uD835\uDFCE\uD835\uDFCF", "\uD83D\uDE00", "_", "foo", "Order", "failed", "S", "d", "t",
        };
        String[] glue = {" ", "", "", ".", "-", ":", "/", "=", ",", "(", ")", "_", "'", "\"", "\t", "x", "9"};
        Random random = new Random(4242);
        Pattern reference = MessageParameterizer.referencePattern();
        List<String> names = MessageParameterizer.placeholderNames();
        for (int n = 0; n < 20_000; n++) {
            StringBuilder sb = new StringBuilder();
            int parts = 1 + random.nextInt(6);
            for (int p = 0; p < parts; p++) {
                sb.append(glue[random.nextInt(glue.length)]).append(pieces[random.nextInt(pieces.length)]);
            }
            String text = sb.toString();
            assertThat(MessageParameterizer.parameterize(text)).as(text).isEqualTo(byReference(reference, names, text));
        }
    }

    private static String byReference(Pattern reference, List<String> names, String text) {
        Matcher m = reference.matcher(text);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            int group = 0;
            while (m.start("p" + group) < 0) {
                group++;
            }
            out.append(text, last, m.start()).append('<').append(names.get(group)).append('>');
            last = m.end();
        }
        return out.append(text, last, text.length()).toString();
    }
}
