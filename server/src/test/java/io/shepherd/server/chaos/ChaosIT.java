package io.shepherd.server.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.CrashLoopPolicy;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.ConfiguredAgent;
import io.shepherd.server.testing.ControllerWitness;
import io.shepherd.server.testing.Invariants;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.ZooKeeperExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Random faults for a bounded time, then convergence: copies SIGKILLed, agents closed and restarted or their
 * sessions expired, servers stopped and restarted or their sessions expired, ZooKeeper stopped for a while, and
 * the user scaling meanwhile. The seed is printed; replay with {@code -Dchaos.seed=N} (and {@code -Dchaos.seconds=S}
 * for another duration). Replay repeats the faults in order, not the exact interleaving with the system's threads.
 */
class ChaosIT {
  private static final long SEED = Long.getLong("chaos.seed", 20_261_121L);
  private static final Duration CHAOS = Duration.ofSeconds(Long.getLong("chaos.seconds", 20));
  private static final CrashLoopPolicy QUICK = new CrashLoopPolicy(200L, 200L, 1_000L, 1_000L);
  /** Replica set name to its processes' marker (the argument of their sleep). */
  private static final Map<String, String> SETS = new LinkedHashMap<>(Map.of("alpha", "3961", "beta", "3962"));

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension ONE = new ServerExtension(ZK::connectString);

  @RegisterExtension
  static final ServerExtension TWO = new ServerExtension(ZK::connectString);

  private final Random random = new Random(SEED);
  private final List<ServerExtension> servers = List.of(ONE, TWO);
  private final boolean[] serverUp = {true, true};
  private final List<String> agentIds = List.of("a1", "a2", "a3");
  private final List<Path> agentDirs = new ArrayList<>();
  private final ConfiguredAgent[] agents = new ConfiguredAgent[3];
  private final Map<String, Integer> targets = new LinkedHashMap<>(Map.of("alpha", 6, "beta", 4));
  private boolean zooKeeperUp = true;
  private int step;
  private long startedAt;

  @Test
  void afterRandomFaultsEverySetConvergesToExactlyItsTargetWithNoInvariantBroken() throws Exception {
    System.out.printf("chaos seed %d for %d s (replay: -Dchaos.seed=%d)%n", SEED, CHAOS.toSeconds(), SEED);
    ScheduledExecutorService chaos = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "chaos"));
    try (Invariants invariants = new Invariants(ZK.connectString())) {
      for (int i = 0; i < agents.length; i++) {
        agentDirs.add(Files.createTempDirectory("shepherd-chaos-" + agentIds.get(i)));
        startAgent(i);
      }
      Api api = new Api(ONE.baseUrl());
      await().atMost(Duration.ofSeconds(30)).until(() -> leader() >= 0 && api.nodes().size() == agents.length);
      for (Map.Entry<String, Integer> set : targets.entrySet()) {
        api.apply(set.getKey(), spec(set.getKey(), set.getValue()));
      }
      await().atMost(Duration.ofSeconds(30)).until(this::processesMatchTargets);

      CountDownLatch done = new CountDownLatch(1);
      List<Throwable> failures = new ArrayList<>();
      startedAt = System.nanoTime();
      long deadline = startedAt + CHAOS.toNanos();
      chaos.execute(new Runnable() {
        @Override
        public void run() {
          try {
            if (System.nanoTime() >= deadline) {
              heal();
              done.countDown();
              return;
            }
            act();
            chaos.schedule(this, 300 + random.nextInt(2_200), TimeUnit.MILLISECONDS);
          } catch (Throwable t) {
            failures.add(t);
            done.countDown();
          }
        }
      });
      assertThat(done.await(CHAOS.toSeconds() + 120, TimeUnit.SECONDS)).as("chaos ended").isTrue();
      assertThat(failures).as("a fault could not be injected or healed").isEmpty();

      invariants.awaitConverged(Duration.ofSeconds(120));
      Api any = new Api(ONE.baseUrl());
      for (String name : SETS.keySet()) {
        targets.put(name, any.get(name).orElseThrow().desired()); // a scale whose answer was lost still counts
      }
      System.out.println("chaos converged to " + targets);
      // Copies a killed agent or an expired session left are stopped by their agents in their own time.
      await().atMost(Duration.ofSeconds(30)).until(this::processesMatchTargets);
      // Nothing more starts: a late copy would be an assignment, so once the leader has reconciled past this
      // point, every one it makes is made and its cache saw it. Then the processes are counted once more.
      await().atMost(Duration.ofSeconds(30)).until(() -> leader() >= 0);
      try (ControllerWitness witness =
               new ControllerWitness(servers.get(leader()).application().controller(), ZK.connectString())) {
        witness.reconcilePast(Duration.ofSeconds(30));
        for (String name : SETS.keySet()) {
          assertThat(witness.created(name)).as("copies of %s started once converged", name).isEmpty();
        }
      }
      assertThat(processesMatchTargets()).as("processes at their targets %s", targets).isTrue();
      invariants.assertHeld();

      for (String name : targets.keySet()) {
        any.delete(name);
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> any.get("alpha").isEmpty() && any.get("beta").isEmpty()
          && SETS.values().stream().allMatch(m -> Processes.countDescendantsWith("sleep " + m) == 0));
    } finally {
      chaos.shutdownNow();
      chaos.awaitTermination(30, TimeUnit.SECONDS);
      if (!zooKeeperUp) {
        ZK.server().restart();
      }
      for (ConfiguredAgent agent : agents) {
        if (agent != null) {
          agent.close();
        }
      }
    }
    assertThat(SETS.values()).allMatch(m -> Processes.countDescendantsWith("sleep " + m) == 0);
  }

  private static ReplicaSetSpec spec(String name, int replicas) {
    return ReplicaSetSpec.of(replicas, List.of("sleep", SETS.get(name))).withStopGraceMs(500).withCrashLoop(QUICK);
  }

  private boolean processesMatchTargets() {
    return targets.entrySet().stream()
        .allMatch(t -> Processes.countDescendantsWith("sleep " + SETS.get(t.getKey())) == t.getValue());
  }

  // ---- faults --------------------------------------------------------------------------------------------------

  private void act() throws Exception {
    step++;
    if (!zooKeeperUp) {
      // During an outage only processes die; ZooKeeper comes back within a few steps.
      if (random.nextInt(3) == 0) {
        log("ZooKeeper back");
        ZK.server().restart();
        zooKeeperUp = true;
      } else {
        killCopies(1);
      }
      return;
    }
    int dice = random.nextInt(100);
    if (dice < 30) {
      killCopies(1);
    } else if (dice < 35) {
      killCopies(3);
    } else if (dice < 47) {
      toggleAgent(random.nextInt(agents.length));
    } else if (dice < 55) {
      expireAgentSession(random.nextInt(agents.length));
    } else if (dice < 67) {
      toggleServer();
    } else if (dice < 73) {
      expireLeaderSession();
    } else if (dice < 79) {
      log("ZooKeeper down");
      ZK.server().stop();
      zooKeeperUp = false;
    } else {
      scale();
    }
  }

  private void killCopies(int count) {
    for (int i = 0; i < count; i++) {
      List<ProcessHandle> copies = ProcessHandle.current().descendants()
          .filter(p -> p.info().commandLine().map(c -> SETS.values().stream().anyMatch(m -> c.contains("sleep " + m)))
              .orElse(false))
          .sorted((a, b) -> Long.compare(a.pid(), b.pid()))
          .toList();
      int pick = random.nextInt(1_000);
      if (!copies.isEmpty()) {
        ProcessHandle victim = copies.get(pick % copies.size());
        log("SIGKILL copy pid " + victim.pid());
        victim.destroyForcibly();
      }
    }
  }

  private void toggleAgent(int i) throws Exception {
    long down = Arrays.stream(agents).filter(a -> a == null).count();
    if (agents[i] == null) {
      log("agent " + agentIds.get(i) + " restarts");
      startAgent(i);
    } else if (down < 2) {
      log("agent " + agentIds.get(i) + " stops");
      agents[i].close();
      agents[i] = null;
    }
  }

  private void startAgent(int i) throws Exception {
    agents[i] = ConfiguredAgent.builder(ZK.connectString(), agentIds.get(i)).dataDir(agentDirs.get(i)).start();
  }

  private void expireAgentSession(int i) throws Exception {
    if (agents[i] != null) {
      log("agent " + agentIds.get(i) + " session expires");
      agents[i].expireSession();
    }
  }

  private void toggleServer() throws Exception {
    for (int i = 0; i < servers.size(); i++) {
      if (!serverUp[i]) {
        log("server " + (i + 1) + " restarts");
        servers.get(i).start();
        serverUp[i] = true;
        return;
      }
    }
    int victim = leader() >= 0 ? leader() : random.nextInt(servers.size());
    log("server " + (victim + 1) + (victim == leader() ? " (the leader)" : "") + " stops");
    servers.get(victim).stop();
    serverUp[victim] = false;
  }

  private void expireLeaderSession() throws Exception {
    int leader = leader();
    if (leader >= 0) {
      log("server " + (leader + 1) + " (the leader) session expires");
      servers.get(leader).application().zooKeeperClient().getZookeeperClient().getZooKeeper().getTestable()
          .injectSessionExpiration();
    }
  }

  private void scale() {
    String name = random.nextBoolean() ? "alpha" : "beta";
    int replicas = 2 + random.nextInt(7);
    for (int i = 0; i < servers.size(); i++) {
      if (serverUp[i]) {
        try {
          new Api(servers.get(i).baseUrl()).scale(name, replicas);
          targets.put(name, replicas);
          log("scale " + name + " to " + replicas);
        } catch (Exception | AssertionError e) {
          log("scale " + name + " to " + replicas + " refused: " + e);
        }
        return;
      }
    }
  }

  /** Everything back: ZooKeeper, both servers, every agent. */
  private void heal() throws Exception {
    log("heal");
    if (!zooKeeperUp) {
      ZK.server().restart();
      zooKeeperUp = true;
    }
    for (int i = 0; i < servers.size(); i++) {
      if (!serverUp[i]) {
        servers.get(i).start();
        serverUp[i] = true;
      }
    }
    for (int i = 0; i < agents.length; i++) {
      if (agents[i] == null) {
        startAgent(i);
      }
    }
  }

  private int leader() {
    for (int i = 0; i < servers.size(); i++) {
      if (serverUp[i] && servers.get(i).application().controller().isLeader()) {
        return i;
      }
    }
    return -1;
  }

  private void log(String what) {
    System.out.printf("chaos step %d (+%.1f s): %s%n", step, (System.nanoTime() - startedAt) / 1e9, what);
  }
}
