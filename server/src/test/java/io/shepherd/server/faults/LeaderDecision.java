package io.shepherd.server.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.server.controller.Controller;
import io.shepherd.server.controller.Fence;
import io.shepherd.server.testing.ServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The event that ends a "nothing more happens" wait: the leading server has decided every replica set from
 * everything its view holds now, and committed what it decided. Every spawn and every stop a leader orders is an
 * assignment it writes in such a decision, so once one has been made after the fault, what it did not write is
 * not coming (short of a new event, such as a launch timing out). Until one is made, any wait proves nothing.
 */
final class LeaderDecision {
  private LeaderDecision() {}

  /** Waits until one of {@code servers} leads, has it decide every replica set, and waits until it has. */
  static void awaitDecidedByLeader(Duration atMost, ServerExtension... servers) {
    await().atMost(atMost).untilAsserted(() -> {
      Controller leader = leader(servers).orElseThrow(() -> new AssertionError("no server leads"));
      Optional<Fence> fence = leader.fence();
      assertThat(fence).as("the leader's fence").isPresent();
      leader.resyncNow();
      assertThat(leader.awaitIdle(atMost)).as("the leader decided every replica set").isTrue();
      assertThat(leader.fence()).as("still leading under the same fence once decided").isEqualTo(fence);
    });
  }

  private static Optional<Controller> leader(ServerExtension... servers) {
    return List.of(servers).stream().map(s -> s.application().controller()).filter(Controller::isLeader).findFirst();
  }
}
