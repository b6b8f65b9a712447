package io.shepherd.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.Event;
import io.shepherd.api.EventType;
import io.shepherd.api.LeaderInfo;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.EventStream;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.ZooKeeperExtension;
import java.time.Duration;
import org.awaitility.core.ConditionTimeoutException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A standby reports the leader's departure and its own election. */
class LeaderEventsIT {
  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension FIRST = new ServerExtension(ZK::connectString);

  @RegisterExtension
  static final ServerExtension SECOND = new ServerExtension(ZK::connectString);

  @Test
  void aStoppedLeaderIsReportedAsALeaderChangeByTheStandby() throws Exception {
    Api first = new Api(FIRST.baseUrl());
    Api second = new Api(SECOND.baseUrl());
    await().atMost(Duration.ofSeconds(20)).until(() -> first.leader().isLeader() || second.leader().isLeader());
    boolean firstLeads = first.leader().isLeader();
    ServerExtension leader = firstLeads ? FIRST : SECOND;
    ServerExtension standby = firstLeads ? SECOND : FIRST;
    LeaderInfo before = new Api(standby.baseUrl()).leader();

    try (EventStream stream = EventStream.open(standby.baseUrl())) {
      // The standby's feed reads the latch's participants once when it starts, then follows their changes; a leader
      // leaving during that first read is not seen as a change (docs/ARCHITECTURE.md, the event stream's limits).
      // A change made now reaching the stream shows that first read is behind it.
      new Api(leader.baseUrl()).apply("marker", ReplicaSetSpec.of(0, List.of("sleep", "1")));
      await().atMost(Duration.ofSeconds(20)).until(() -> stream.events().stream()
          .anyMatch(e -> e.type() == EventType.SPEC_CHANGED && e.replicaSet().equals(Optional.of("marker"))));
      leader.stop();
      try {
        await().atMost(Duration.ofSeconds(20)).until(() -> stream.events().stream()
            .anyMatch(e -> e.type() == EventType.LEADER_CHANGED));
      } catch (ConditionTimeoutException e) {
        throw new AssertionError("no LEADER_CHANGED on the standby " + standby.baseUrl() + " (was " + before
            + "); its stream had: " + stream.events().stream().map(x -> x.id() + " " + x.type() + " " + x.message())
            .toList() + "; comments " + stream.comments(), e);
      }

      Event change = stream.events().stream().filter(e -> e.type() == EventType.LEADER_CHANGED).findFirst()
          .orElseThrow();
      assertThat(change.message()).isEqualTo(before.self() + " leads (was " + before.leader().orElseThrow() + ")");
      await().atMost(Duration.ofSeconds(20)).until(() -> new Api(standby.baseUrl()).leader().isLeader());
    }
  }
}
