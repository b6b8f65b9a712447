package io.shepherd.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.client.ShepherdClient;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.TestTokens;
import io.shepherd.server.testing.ZooKeeperExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An SDK configured with two servers keeps working when the first one is killed. */
class ClientFailoverIT {
  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension FIRST = new ServerExtension(ZK::connectString);

  @RegisterExtension
  static final ServerExtension SECOND = new ServerExtension(ZK::connectString);

  @Test
  void theSdkMovesToTheSecondServerWhenTheFirstDies() throws Exception {
    try (ShepherdClient shepherd = ShepherdClient.builder().token(TestTokens.admin())
        .servers(List.of(FIRST.baseUrl(), SECOND.baseUrl())).requestTimeout(Duration.ofSeconds(5)).build()) {
      await().atMost(Duration.ofSeconds(20)).until(() -> shepherd.leader().leader().isPresent());
      shepherd.apply("failover", ReplicaSetSpec.of(0, List.of("sleep", "1")));

      FIRST.stop();

      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(shepherd.leader().self()).isNotEqualTo(null));
      assertThat(shepherd.scale("failover", 0).name()).isEqualTo("failover");
      assertThat(shepherd.list()).extracting(s -> s.name()).contains("failover");
      await().atMost(Duration.ofSeconds(20)).until(() -> shepherd.leader().isLeader());
      shepherd.delete("failover");
      await().atMost(Duration.ofSeconds(20)).until(() -> shepherd.find("failover").isEmpty());
    }
  }
}
