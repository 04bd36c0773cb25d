package dev.beatline.query.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PageTest {

    @Test
    void theExtraRowOnlySignalsANextPageWhoseCursorIsTheLastShownRow() {
        Page<Integer> page = Page.of(List.of(5, 4, 3), 2, i -> new Cursor(i.toString(), i.toString()));
        assertThat(page.items()).containsExactly(5, 4);
        assertThat(Cursor.decode(page.nextCursor())).isEqualTo(new Cursor("4", "4"));
    }

    @Test
    void lastPageHasNoCursor() {
        Page<Integer> page = Page.of(List.of(5, 4), 2, i -> new Cursor(i.toString(), i.toString()));
        assertThat(page.items()).containsExactly(5, 4);
        assertThat(page.nextCursor()).isNull();
    }
}
