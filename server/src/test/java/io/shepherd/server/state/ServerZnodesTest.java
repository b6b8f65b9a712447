package io.shepherd.server.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.Role;
import io.shepherd.api.Revision;
import io.shepherd.api.Rollout;
import io.shepherd.api.RolloutReason;
import io.shepherd.api.RolloutState;
import io.shepherd.server.auth.TokenRecord;
import io.shepherd.worker.zk.CorruptZnodeException;
import io.shepherd.worker.zk.ZnodeCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each kind of znode only servers read: what is written reads back the same, and bad bytes name the kind. */
class ServerZnodesTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final ReplicaSetSpec SPEC = ReplicaSetSpec.of(3, List.of("sleep", "60"));

  private static <T> T roundTrip(ZnodeCodec<T> codec, T value) {
    return codec.decode(codec.encode(value));
  }

  @Test
  void aSpecARevisionAndARolloutRoundTrip() {
    StoredReplicaSet spec = StoredReplicaSet.created(SPEC, "alice").markDeleting("bob");
    Revision revision = new Revision(2, SPEC, T0, "alice", RolloutReason.NEW_REVISION);
    Rollout rollout = new Rollout(1, 2, RolloutState.PROGRESSING, RolloutReason.NEW_REVISION, "", 3, 1, 1, 1, 3, 1,
        Optional.empty(), "alice", T0, T0, Optional.empty());

    assertThat(roundTrip(ServerZnodes.SPEC, spec)).isEqualTo(spec);
    assertThat(roundTrip(ServerZnodes.REVISION, revision)).isEqualTo(revision);
    assertThat(roundTrip(ServerZnodes.ROLLOUT, rollout)).isEqualTo(rollout);
  }

  @Test
  void theBreakerACrashLoopAndATokenRoundTrip() {
    BreakerState opened = BreakerState.opened(T0, 10, "6 of 10 nodes vanished");
    CrashLoopState looping = new CrashLoopState(4, Optional.of(T0.plusSeconds(8)));
    TokenRecord token = new TokenRecord("t1", "ci", Role.OPERATOR, "ab".repeat(32), T0, Optional.of("admin"));

    assertThat(roundTrip(ServerZnodes.BREAKER, opened)).isEqualTo(opened);
    assertThat(roundTrip(ServerZnodes.BREAKER, BreakerState.CLOSED)).isEqualTo(BreakerState.CLOSED);
    assertThat(roundTrip(ServerZnodes.CRASH_LOOP, looping)).isEqualTo(looping);
    assertThat(roundTrip(ServerZnodes.TOKEN, token)).isEqualTo(token);
  }

  @Test
  void anEmptyStatusIsHealthyButAnEmptySpecIsCorrupt() {
    assertThat(ServerZnodes.CRASH_LOOP.decode(new byte[0])).isEqualTo(CrashLoopState.HEALTHY);
    assertThat(ServerZnodes.CRASH_LOOP.decode(null)).isEqualTo(CrashLoopState.HEALTHY);
    assertThatThrownBy(() -> ServerZnodes.SPEC.decode(new byte[0]))
        .isInstanceOf(CorruptZnodeException.class)
        .hasMessageStartingWith("corrupt replica set znode: ");
  }

  @Test
  void badBytesNameTheKind() {
    byte[] bad = "{\"open\": ".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> ServerZnodes.BREAKER.decode(bad)).hasMessageStartingWith("corrupt breaker znode: ");
    assertThatThrownBy(() -> ServerZnodes.CRASH_LOOP.decode(bad))
        .hasMessageStartingWith("corrupt crash-loop status znode: ");
    assertThatThrownBy(() -> ServerZnodes.ROLLOUT.decode(bad)).hasMessageStartingWith("corrupt rollout znode: ");
    assertThatThrownBy(() -> ServerZnodes.REVISION.decode(bad)).hasMessageStartingWith("corrupt revision znode: ");
    assertThatThrownBy(() -> ServerZnodes.TOKEN.decode(bad)).hasMessageStartingWith("corrupt token znode: ");
  }
}
