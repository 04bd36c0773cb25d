package dev.beatline.query.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import dev.beatline.query.api.ApiProblem;
import dev.beatline.query.issues.IssueDtos.IgnoreBody;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class IgnoreConditionTest {

    static IgnoreBody body(Boolean forever, Boolean escalating, Long minutes, Long count, Long countWindow, Long users,
            Long userWindow) {
        return new IgnoreBody(forever, escalating, minutes, count, countWindow, users, userWindow);
    }

    static String refusedField(IgnoreBody b) {
        ApiProblem p = (ApiProblem) catchThrowable(() -> IgnoreCondition.of(b));
        assertThat(p).as("refused").isNotNull();
        assertThat(p.getResponse().getStatus()).isEqualTo(400);
        return p.getMessage().substring(0, p.getMessage().indexOf(':'));
    }

    @Test
    void noBodyOrEmptyObjectOrForeverTrueIsForever() {
        assertThat(IgnoreCondition.of(null).isForever()).isTrue();
        assertThat(IgnoreCondition.of(body(null, null, null, null, null, null, null)).isForever()).isTrue();
        IgnoreCondition forever = IgnoreCondition.of(body(true, null, null, null, null, null, null));
        assertThat(forever.substatus()).isEqualTo("archived_forever");
        assertThat(forever.activityData()).containsExactly(entry("condition", "forever"));
    }

    @Test
    void eachConditionHasItsSubstatusAndActivityData() {
        IgnoreCondition escalating = IgnoreCondition.of(body(null, true, null, null, null, null, null));
        assertThat(escalating.condition()).isEqualTo("until_escalating");
        assertThat(escalating.substatus()).isEqualTo("archived_until_escalating");
        IgnoreCondition minutes = IgnoreCondition.of(body(null, null, 30L, null, null, null, null));
        assertThat(minutes.substatus()).isEqualTo("archived_until_condition_met");
        assertThat(minutes.activityData()).containsEntry("condition", "for_minutes").containsEntry("minutes", 30L);
        IgnoreCondition count = IgnoreCondition.of(body(null, null, null, 100L, 60L, null, null));
        assertThat(count.activityData()).containsEntry("count", 100L).containsEntry("count_window_minutes", 60L);
        IgnoreCondition users = IgnoreCondition.of(body(null, null, null, null, null, 5L, null));
        assertThat(users.condition()).isEqualTo("until_users");
        assertThat(users.userWindowMinutes()).isNull();
        assertThat(users.activityData()).containsEntry("user_count", 5L).doesNotContainKey("user_window_minutes");
    }

    @Test
    void badBodiesNameTheField() {
        assertThat(refusedField(body(true, null, 5L, null, null, null, null))).isEqualTo("body");
        assertThat(refusedField(body(null, true, null, 3L, null, null, null))).isEqualTo("body");
        assertThat(refusedField(body(false, null, null, null, null, null, null))).isEqualTo("forever");
        assertThat(refusedField(body(null, false, null, null, null, null, null))).isEqualTo("untilEscalating");
        assertThat(refusedField(body(null, null, 0L, null, null, null, null))).isEqualTo("forMinutes");
        assertThat(refusedField(body(null, null, 525_601L, null, null, null, null))).isEqualTo("forMinutes");
        assertThat(refusedField(body(null, null, null, 0L, null, null, null))).isEqualTo("untilCount");
        assertThat(refusedField(body(null, null, null, 5L, 10_081L, null, null))).isEqualTo("countWindowMinutes");
        assertThat(refusedField(body(null, null, null, null, 5L, null, null))).isEqualTo("countWindowMinutes");
        assertThat(refusedField(body(null, null, null, 5L, null, null, 5L))).isEqualTo("userWindowMinutes");
        assertThat(refusedField(body(null, null, null, null, null, -1L, null))).isEqualTo("untilUsers");
        assertThat(refusedField(body(null, null, null, null, null, 2L, 0L))).isEqualTo("userWindowMinutes");
        assertThat(IgnoreCondition.of(body(null, null, 525_600L, null, null, null, null)).minutes()).isEqualTo(525_600L);
        assertThat(IgnoreCondition.of(body(null, null, null, null, null, 2L, 10_080L)).userWindowMinutes())
                .isEqualTo(10_080L);
    }

    @Test
    void hourlyAverageIsOverTheHoursTheIssueHadEventsInTheWeekBefore() {
        Instant at = Instant.parse("2026-11-20T12:00:00Z");
        assertThat(IgnoreCondition.hourlyAverage(0, null, at)).isZero();
        // a week or more of history: over 168 hours
        assertThat(IgnoreCondition.hourlyAverage(336, at.minus(Duration.ofDays(7)), at)).isEqualTo(2.0);
        // two hours old: over those two hours
        assertThat(IgnoreCondition.hourlyAverage(60, at.minus(Duration.ofHours(2)), at)).isCloseTo(30.0, within(1e-9));
        // younger than an hour: over one hour
        assertThat(IgnoreCondition.hourlyAverage(40, at.minus(Duration.ofMinutes(5)), at)).isEqualTo(40.0);
    }

    @Test
    void leavingIgnoredEndsTheArchivedSubstatus() {
        IssueTransitions.State ignored = new IssueTransitions.State("ignored", "archived_until_escalating", "2.0", null);
        assertThat(IssueTransitions.resolve(ignored).substatus()).isEqualTo("ongoing");
        assertThat(IssueTransitions.unresolve(ignored).substatus()).isEqualTo("ongoing");
        assertThat(IssueTransitions.assign(ignored, "ada").substatus()).isEqualTo("archived_until_escalating");
        IssueTransitions.Change again = IssueTransitions.ignore(ignored,
                IgnoreCondition.of(body(null, null, 10L, null, null, null, null)));
        assertThat(again.substatus()).isEqualTo("archived_until_condition_met");
        assertThat(again.activityData()).containsEntry("previous_status", "ignored").containsEntry("minutes", 10L);
        assertThatThrownBy(() -> IgnoreCondition.of(body(null, null, -5L, null, null, null, null)))
                .isInstanceOf(ApiProblem.class);
    }
}
