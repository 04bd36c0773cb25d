package dev.beatline.query.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonBodiesTest {

    record Limit(Integer eventsPerSecond, Integer burst) {
    }

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void readsAValidBody() {
        assertThat(JsonBodies.read(mapper, "{\"eventsPerSecond\": 5, \"burst\": 9}", Limit.class, "x"))
                .isEqualTo(new Limit(5, 9));
    }

    @Test
    void wrongTypeNamesTheField() {
        assertThatThrownBy(() -> JsonBodies.read(mapper, "{\"eventsPerSecond\": \"many\"}", Limit.class, "x"))
                .isInstanceOf(ApiProblem.class).hasMessage("eventsPerSecond: has the wrong JSON type");
    }

    @Test
    void malformedOrEmptyBodiesSayWhereAndWhatWasExpected() {
        assertThatThrownBy(() -> JsonBodies.read(mapper, "{\"burst\": ", Limit.class, "{\"burst\": n}"))
                .isInstanceOf(ApiProblem.class).hasMessageContaining("line 1").hasMessageContaining("{\"burst\": n}")
                .hasMessageNotContaining("Exception");
        assertThatThrownBy(() -> JsonBodies.read(mapper, " ", Limit.class, "x")).hasMessage("body: expected x");
        assertThatThrownBy(() -> JsonBodies.read(mapper, "null", Limit.class, "x")).hasMessage("body: expected x");
    }

    @Test
    void strictReadingRefusesUnknownFieldsAndFractionsWhereTheLenientOneDoesNot() {
        ObjectMapper lenient = new ObjectMapper().configure(
                DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        assertThat(JsonBodies.read(lenient, "{\"burst\": 2.5, \"bursts\": 1}", Limit.class, "x"))
                .isEqualTo(new Limit(null, 2));
        assertThatThrownBy(() -> JsonBodies.readStrict(lenient, "{\"bursts\": 1}", Limit.class, "x"))
                .isInstanceOf(ApiProblem.class).hasMessage("bursts: is not a known field; expected x");
        assertThatThrownBy(() -> JsonBodies.readStrict(lenient, "{\"burst\": 2.5}", Limit.class, "x"))
                .isInstanceOf(ApiProblem.class).hasMessage("burst: has the wrong JSON type");
        assertThat(JsonBodies.readStrict(lenient, "{\"burst\": 3}", Limit.class, "x")).isEqualTo(new Limit(null, 3));
    }
}
