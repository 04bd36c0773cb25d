package dev.beatline.query.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SentryDsnTest {

    @Test
    void putsThePublicKeyAsUserAndTheProjectIdAsLastPathSegment() {
        assertThat(SentryDsn.of("http://127.0.0.1:8200", "abc123", 7)).isEqualTo("http://abc123@127.0.0.1:8200/7");
        assertThat(SentryDsn.of("https://beatline.example.com/ingest/", "k", 12))
                .isEqualTo("https://k@beatline.example.com/ingest/12");
    }
}
