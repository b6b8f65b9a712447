package io.shepherd.server.events;

import static org.awaitility.Awaitility.await;

import io.shepherd.api.CrashLoopPolicy;
import io.shepherd.api.Instance;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.Processes;
import java.time.Duration;
import java.util.List;

/** The copies the event tests make: {@code sleep}s never counted as crashes, and a wait for them to run. */
final class EventCopies {
  private EventCopies() {}

  /** Copies that are never counted as crashes, so that a kill gives no CRASH_LOOP event. */
  static ReplicaSetSpec sleeping(int copies, String marker) {
    return ReplicaSetSpec.of(copies, List.of("sleep", marker)).withStopGraceMs(1_000)
        .withCrashLoop(new CrashLoopPolicy(0L, null, null, null));
  }

  /** Waits until {@code name} has exactly {@code copies} live copies whose processes run, and answers them. */
  static List<Instance> awaitLive(Api api, String name, int copies) throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      List<Instance> live = api.instances(name);
      return live.size() == copies && Processes.allAlive(live);
    });
    return api.instances(name);
  }
}
