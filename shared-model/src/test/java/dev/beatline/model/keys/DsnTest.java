package dev.beatline.model.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DsnTest {

    @Test
    void forKeyAndBack() {
        Dsn dsn = Dsn.forKey("http://127.0.0.1:8200", "0123456789abcdef0123456789abcdef", 1);
        assertThat(dsn.toString()).isEqualTo("http://0123456789abcdef0123456789abcdef@127.0.0.1:8200/1");
        assertThat(Dsn.parse(dsn.toString())).isEqualTo(dsn);
    }

    @Test
    void forKeyKeepsAPathPrefixWithoutItsTrailingSlash() {
        assertThat(Dsn.forKey("https://beatline.example.com/ingest/", "k", 12).toString())
                .isEqualTo("https://k@beatline.example.com/ingest/12");
    }

    @Test
    void parsesPathPrefixAndIgnoresSecret() {
        Dsn dsn = Dsn.parse("https://public:secret@sentry.example.com/sub/path/42");
        assertThat(dsn.publicKey()).isEqualTo("public");
        assertThat(dsn.projectId()).isEqualTo(42);
        assertThat(dsn.path()).isEqualTo("/sub/path");
        assertThat(dsn.port()).isEqualTo(-1);
        assertThat(Dsn.parse("https://e12d836b15bb49d7bbf99e64295d995b:@sentry.io/42").publicKey())
                .isEqualTo("e12d836b15bb49d7bbf99e64295d995b");
    }

    @Test
    void refusesWhatIsNoDsn() {
        assertThatThrownBy(() -> Dsn.parse("https://sentry.io/42")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Dsn.parse("https://k@sentry.io/abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Dsn.parse("::")).isInstanceOf(IllegalArgumentException.class);
    }
}
