package io.shepherd.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.Instance;
import io.shepherd.api.PortSpec;
import io.shepherd.api.Probe;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.Rollout;
import io.shepherd.api.RolloutPolicy;
import io.shepherd.api.RolloutState;
import io.shepherd.client.ShepherdClient;
import io.shepherd.server.testing.TestTokens;
import io.shepherd.server.testing.LocalHttp;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.RolloutSampler;
import io.shepherd.server.testing.ServerProcess;
import io.shepherd.server.testing.TestAgent;
import io.shepherd.server.testing.ZooKeeperExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A rollout through a leader SIGKILL: two server JVMs from the shaded jar, one agent in this JVM running real HTTP
 * servers with an http readiness probe. The leader is killed while the rollout is half done; the other server's
 * latch wins once the dead one's session expires, and it takes the rollout up where it stands. A sampler reads the set
 * through both servers every 20 ms throughout: the copies never exceed replicas + maxSurge, and the ready copies
 * never drop below replicas - maxUnavailable. Its reads are counted, so the test shows that they went on through the
 * takeover (reads after the kill saw the old copies, then none) and that few of them failed.
 */
class RolloutFailoverIT {
  private static final Path V1 = LocalHttp.tempDir("shepherd-failover-v1");
  private static final Path V2 = LocalHttp.tempDir("shepherd-failover-v2");
  private static final Duration LONG = Duration.ofSeconds(120);

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  private static ServerProcess server(String name) throws Exception {
    return ServerProcess.start(name, ZK.connectString(), "zookeeper.sessionTimeout=4s",
        "zookeeper.connectionTimeout=2s", "controller.resyncInterval=2s", "controller.launchTimeout=20s");
  }

  private static boolean leads(ServerProcess server) {
    try {
      return server.api().leader().isLeader();
    } catch (Exception | AssertionError notUp) {
      return false;
    }
  }

  /** Four HTTP servers of {@code dir}; each is ready about a second after it starts; surge 1, unavailable 0. */
  static ReplicaSetSpec web(Path dir) {
    return ReplicaSetSpec.of(4, List.of("python3", "-m", "http.server", "${PORT}", "--bind", "127.0.0.1",
            "--directory", dir.toString()))
        .withPorts(List.of(new PortSpec("http")))
        .withStopGraceMs(2_000)
        .withProbes(null, null, Probe.http("http", "/").withTimings(1_000, 200, 1_000, 1, 1))
        .withRollout(RolloutPolicy.DEFAULT.withBounds("1", "0"));
  }

  @Test
  void bothBoundsHoldThroughALeaderKilledMidRolloutAndTheSuccessorFinishesIt() throws Exception {
    try (TestAgent agent = new TestAgent(ZK.connectString(), "n1");
         ServerProcess one = server("server-one");
         ServerProcess two = server("server-two");
         ShepherdClient shepherd = ShepherdClient.builder().servers(List.of(one.baseUrl(), two.baseUrl()))
             .token(TestTokens.admin())
             .requestTimeout(Duration.ofSeconds(3)).build()) {
      await().atMost(LONG).pollInterval(Duration.ofMillis(250))
          .until(() -> (leads(one) || leads(two)) && one.api().nodes().size() == 1 && two.api().nodes().size() == 1);
      ServerProcess leader = leads(one) ? one : two;
      ServerProcess successor = leader == one ? two : one;
      shepherd.apply("web", web(V1));
      await().atMost(LONG).ignoreExceptions().until(() -> shepherd.rollout("web").state() == RolloutState.COMPLETE
          && shepherd.instances("web").size() == 4);

      try (RolloutSampler sampler = new RolloutSampler(shepherd, "web")) {
        shepherd.apply("web", web(V2));
        // Half done: two new copies and at least one old one.
        await().atMost(LONG).ignoreExceptions().until(() -> {
          Rollout r = shepherd.rollout("web");
          return r.toRevision() == 2 && r.updated() >= 2 && r.old() >= 1;
        });
        RolloutSampler.Counts atKill = sampler.counts();
        leader.sigkill();

        await().atMost(LONG).pollInterval(Duration.ofMillis(100)).until(() -> leads(successor));
        await().atMost(LONG).ignoreExceptions().until(() -> {
          Rollout r = shepherd.rollout("web");
          return r.toRevision() == 2 && r.state() == RolloutState.COMPLETE;
        });
        // The sampler's own reads see the end too: old copies were left at the kill, and only the successor could
        // stop them, so reads that saw old copies after the kill and then none spanned its takeover.
        await().atMost(LONG).until(() -> sampler.counts().since(atKill).withoutOldCopies() > 0);
        RolloutSampler.Counts through = sampler.counts().since(atKill);
        assertThat(through.withOldCopies()).as("reads after the kill that saw the rollout unfinished: " + through)
            .isPositive();
        assertThat(through.failures()).as("reads that failed after the kill, against those that did: " + through)
            .isLessThanOrEqualTo(through.samples());
        assertThat(sampler.maxCopies()).as("copies, live or pending: the sampler saw the surge").isEqualTo(5);
        assertThat(sampler.minReady()).as("ready copies").isEqualTo(4);
      }
      assertThat(shepherd.instances("web")).hasSize(4).extracting(Instance::revision).containsOnly(2);
      await().atMost(Duration.ofSeconds(20)).until(() -> Processes.countDescendantsWith(V1.toString()) == 0);
      assertThat(Processes.countDescendantsWith(V2.toString())).isEqualTo(4);

      shepherd.delete("web");
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> shepherd.list().isEmpty());
      await().atMost(Duration.ofSeconds(15)).until(() -> Processes.countDescendantsWith(V2.toString()) == 0);
    }
  }
}
