package dev.beatline.query.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CursorTest {

    @Test
    void roundTripsSortKeyAndIdThroughAnUrlSafeString() {
        Cursor c = new Cursor("1763700000123456", "a1b2/c3+d4=");
        String encoded = c.encode();
        assertThat(encoded).matches("[A-Za-z0-9_-]+");
        assertThat(Cursor.decode(encoded)).isEqualTo(c);
    }

    @Test
    void absentCursorIsTheFirstPage() {
        assertThat(Cursor.decode(null)).isNull();
        assertThat(Cursor.decode(" ")).isNull();
    }

    @Test
    void garbageIsABadRequestNamingTheParameter() {
        assertThatThrownBy(() -> Cursor.decode("%%%")).isInstanceOfSatisfying(ApiProblem.class,
                p -> assertThat(p.getResponse().getStatus()).isEqualTo(400));
        String noSeparator = java.util.Base64.getUrlEncoder().encodeToString("12345".getBytes());
        assertThatThrownBy(() -> Cursor.decode(noSeparator)).isInstanceOf(ApiProblem.class).hasMessageContaining("cursor");
    }

    @Test
    void aCursorOfAnotherListIsRefusedWhenReadAsNumbers() {
        Cursor foreign = Cursor.decode(new Cursor("2026-11-22", "abc").encode());
        assertThatThrownBy(foreign::sortKeyAsLong).isInstanceOf(ApiProblem.class);
    }
}
