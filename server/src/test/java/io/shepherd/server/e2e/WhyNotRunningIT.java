package io.shepherd.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.ZooKeeperExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A replica set whose copies cannot run says why, from any server. */
class WhyNotRunningIT {
  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension SERVER = new ServerExtension(ZK::connectString);

  @Test
  void withNoLiveNodeTheStatusSaysTheCopiesCannotBeScheduled() throws Exception {
    Api api = new Api(SERVER.baseUrl());
    await().atMost(Duration.ofSeconds(20)).until(() -> api.leader().isLeader());
    api.apply("homeless", ReplicaSetSpec.of(2, List.of("sleep", "1")));
    assertThat(api.get("homeless").orElseThrow().message())
        .hasValue("2 copies cannot be scheduled: no live node");

    api.apply("picky", ReplicaSetSpec.of(1, List.of("sleep", "1")).withNodeSelector(Map.of("gpu", "yes")));
    assertThat(api.get("picky").orElseThrow().message()).hasValueSatisfying(m -> assertThat(m).contains("1 copy"));

    api.delete("homeless");
    api.delete("picky");
    await().atMost(Duration.ofSeconds(10)).until(() -> api.get("homeless").isEmpty() && api.get("picky").isEmpty());
  }
}
