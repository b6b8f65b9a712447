package io.shepherd.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.Test;

/** The REST writes' compare-and-set loop: how often it tries, and what a lost race becomes. */
class CompareAndSetTest {
  private final AtomicInteger attempts = new AtomicInteger();

  /** An attempt that loses {@code races} races, then writes version {@code races + 1}. */
  private CompareAndSet.Attempt<Integer> losing(int races) {
    return () -> {
      int n = attempts.incrementAndGet();
      if (n <= races) {
        throw new KeeperException.BadVersionException("/replicasets/web");
      }
      return n;
    };
  }

  private <T> T run(OptionalInt ifMatch, CompareAndSet.Attempt<T> attempt) throws Exception {
    return CompareAndSet.run(ifMatch, () -> ApiException.preconditionFailed("mismatch"),
        () -> ApiException.conflict("too often"), attempt);
  }

  @Test
  void aWriteThatWinsAtOnceIsTriedOnce() throws Exception {
    assertThat(run(OptionalInt.empty(), losing(0))).isEqualTo(1);
    assertThat(attempts).hasValue(1);
  }

  @Test
  void withoutIfMatchALostRaceReadsAgain() throws Exception {
    assertThat(run(OptionalInt.empty(), losing(CompareAndSet.MAX_ATTEMPTS - 1)))
        .isEqualTo(CompareAndSet.MAX_ATTEMPTS);
    assertThat(attempts).hasValue(CompareAndSet.MAX_ATTEMPTS);
  }

  @Test
  void withoutIfMatchEveryRaceLostIsAConflict() {
    assertThatThrownBy(() -> run(OptionalInt.empty(), losing(Integer.MAX_VALUE)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409))
        .hasMessage("too often");
    assertThat(attempts).hasValue(CompareAndSet.MAX_ATTEMPTS);
  }

  @Test
  void withIfMatchALostRaceIsAPreconditionFailedAtOnce() {
    assertThatThrownBy(() -> run(OptionalInt.of(3), losing(1)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(412))
        .hasMessage("mismatch");
    assertThat(attempts).hasValue(1);
  }

  @Test
  void anythingButALostRaceIsNotRetried() {
    KeeperException.NoNodeException gone = new KeeperException.NoNodeException("/replicasets/web");
    ApiException notFound = ApiException.notFound("replica set web");

    assertThatThrownBy(() -> run(OptionalInt.empty(), () -> {
      attempts.incrementAndGet();
      throw gone;
    })).isSameAs(gone);
    assertThatThrownBy(() -> run(OptionalInt.empty(), () -> {
      attempts.incrementAndGet();
      throw notFound;
    })).isSameAs(notFound);
    assertThat(attempts).hasValue(2);
  }
}
