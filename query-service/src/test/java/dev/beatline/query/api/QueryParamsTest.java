package dev.beatline.query.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class QueryParamsTest {

    @Test
    void nonNumericOrOutOfRangeIntegersAreBadRequestsNamingTheParameter() {
        assertThat(QueryParams.intParam("limit", null, 50, 1, 500)).isEqualTo(50);
        assertThat(QueryParams.intParam("limit", " 7 ", 50, 1, 500)).isEqualTo(7);
        for (String bad : new String[] {"abc", "0", "501", "1e3", "99999999999"}) {
            assertThatThrownBy(() -> QueryParams.intParam("limit", bad, 50, 1, 500)).as(bad)
                    .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.getResponse().getStatus()).isEqualTo(400))
                    .hasMessageStartingWith("limit:");
        }
    }

    @Test
    void enumeratedValuesAreCaseInsensitiveAndListTheChoicesWhenWrong() {
        assertThat(QueryParams.oneOf("sort", "Last_Seen", Set.of("last_seen", "users"), "x")).isEqualTo("last_seen");
        assertThatThrownBy(() -> QueryParams.oneOf("sort", "title", Set.of("last_seen", "users"), "x"))
                .hasMessage("sort: must be one of [last_seen, users]");
    }

    @Test
    void malformedPathIdsAreNotFound() {
        assertThat(QueryParams.pathId("issue", "42")).isEqualTo(42);
        assertThatThrownBy(() -> QueryParams.pathId("issue", "x1"))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.getResponse().getStatus()).isEqualTo(404));
    }
}
