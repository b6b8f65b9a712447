package io.shepherd.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.EventType;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.EventStream;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.ZooKeeperExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The event stream survives its server losing and regaining ZooKeeper. */
class EventsReconnectIT {
  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension SERVER = new ServerExtension(ZK::connectString);

  @Test
  void afterZooKeeperComesBackTheStreamReportsChangesAgain() throws Exception {
    Api api = new Api(SERVER.baseUrl());
    await().atMost(Duration.ofSeconds(20)).until(() -> api.leader().isLeader());
    try (EventStream stream = EventStream.open(SERVER.baseUrl())) {
      api.apply("before", ReplicaSetSpec.of(0, List.of("sleep", "3701")));
      await().atMost(Duration.ofSeconds(10)).until(() -> !stream.eventsOf("before").isEmpty());

      ZK.server().restart();
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> api.send("PUT", "/replicasets/after", ReplicaSetSpec.of(0, List.of("sleep", "3702")))
              .statusCode() == 201);

      await().atMost(Duration.ofSeconds(10)).until(() -> !stream.eventsOf("after").isEmpty());
      assertThat(stream.eventsOf("after").get(0).type()).isEqualTo(EventType.SPEC_CHANGED);
      // What changed while the server was away is not in its stream, and the stream says so before going on.
      long lastBefore = stream.eventsOf("before").get(stream.eventsOf("before").size() - 1).id();
      assertThat(stream.gaps()).isNotEmpty().allSatisfy(gap -> {
        assertThat(gap.after()).isGreaterThanOrEqualTo(lastBefore);
        assertThat(gap.upTo()).isLessThan(stream.eventsOf("after").get(0).id());
      });
      assertThat(stream.ids()).isSorted().doesNotHaveDuplicates();
      assertThat(stream.ended()).isFalse();
      api.delete("before");
      api.delete("after");
      await().atMost(Duration.ofSeconds(20)).until(() -> api.get("before").isEmpty() && api.get("after").isEmpty());
    }
  }
}
