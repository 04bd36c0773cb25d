package dev.beatline.intake.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private final AtomicLong now = new AtomicLong();

    @Test
    void burstIsAvailableAtOnceThenTheRateRefills() {
        TokenBucket bucket = new TokenBucket(10, 3, now::get);
        assertThat(bucket.tryTake()).isTrue();
        assertThat(bucket.tryTake()).isTrue();
        assertThat(bucket.tryTake()).isTrue();
        assertThat(bucket.tryTake()).isFalse();
        assertThat(bucket.hasToken()).isFalse();
        now.addAndGet(100_000_000); // 0.1 s at 10/s = one token
        assertThat(bucket.hasToken()).isTrue();
        assertThat(bucket.tryTake()).isTrue();
        assertThat(bucket.tryTake()).isFalse();
    }

    @Test
    void refillNeverExceedsTheBurst() {
        TokenBucket bucket = new TokenBucket(1000, 2, now::get);
        now.addAndGet(60_000_000_000L);
        assertThat(bucket.tryTake()).isTrue();
        assertThat(bucket.tryTake()).isTrue();
        assertThat(bucket.tryTake()).isFalse();
    }

    @Test
    void retryAfterIsTheWholeSecondsUntilTheNextToken() {
        TokenBucket slow = new TokenBucket(1, 1, now::get);
        assertThat(slow.tryTake()).isTrue();
        assertThat(slow.secondsUntilToken()).isEqualTo(1);
        TokenBucket fast = new TokenBucket(100, 1, now::get);
        assertThat(fast.tryTake()).isTrue();
        assertThat(fast.secondsUntilToken()).isEqualTo(1); // never 0: Retry-After must make the client wait
    }

    @Test
    void aMultiEventRequestTakesAllItsTokensOrNone() {
        TokenBucket bucket = new TokenBucket(1, 5, now::get);
        assertThat(bucket.tryTake(3)).isTrue();
        assertThat(bucket.tryTake(3)).isFalse();
        assertThat(bucket.tryTake(2)).isTrue();
        now.addAndGet(5_000_000_000L);
        assertThat(bucket.tryTake(50)).as("more than the burst needs a full bucket").isTrue();
        assertThat(bucket.hasToken()).isFalse();
    }
}
