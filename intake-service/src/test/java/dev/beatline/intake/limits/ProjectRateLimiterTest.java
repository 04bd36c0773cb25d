package dev.beatline.intake.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProjectRateLimiterTest {

    @Test
    void burstThenRefillPerProject() {
        AtomicLong now = new AtomicLong();
        ProjectRateLimiter limiter = new ProjectRateLimiter(10, 20, now::get);
        assertThat(limiter.tryAcquire(1, 20)).isZero();
        assertThat(limiter.tryAcquire(1, 5)).isEqualTo(1);
        assertThat(limiter.tryAcquire(2, 20)).as("another project has its own bucket").isZero();
        now.addAndGet(500_000_000L);
        assertThat(limiter.tryAcquire(1, 5)).isZero();
        assertThat(limiter.tryAcquire(1, 15)).isEqualTo(2);
    }

    @Test
    void zeroRateIsUnlimited() {
        ProjectRateLimiter limiter = new ProjectRateLimiter(0, 0, () -> 0);
        assertThat(limiter.tryAcquire(1, 1_000_000)).isZero();
    }
}
