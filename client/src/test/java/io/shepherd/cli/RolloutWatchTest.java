package io.shepherd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.api.Rollout;
import io.shepherd.api.RolloutReason;
import io.shepherd.api.RolloutState;
import io.shepherd.client.ShepherdClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code rollout status --watch} and {@code apply --wait}: what is printed while a rollout goes on, and the exit. */
class RolloutWatchTest {
  private static final Instant T = Instant.parse("2030-01-01T12:00:00Z");

  private static Rollout rollout(int to, RolloutState state, int updated, Optional<Integer> revertedFrom) {
    return new Rollout(to - 1, to, state, RolloutReason.NEW_REVISION, "", 3, updated, updated, updated, 3 - updated,
        to - 1, revertedFrom, "alice", T, T, Optional.empty());
  }

  /** A client whose rollout reads answer {@code answers} in turn (the last one again once they run out). */
  private static ShepherdClient answering(List<Rollout> answers) {
    Deque<Rollout> left = new ArrayDeque<>(answers);
    return (ShepherdClient) Proxy.newProxyInstance(ShepherdClient.class.getClassLoader(),
        new Class<?>[] {ShepherdClient.class}, (proxy, method, args) -> {
          if (method.getName().equals("rollout")) {
            return left.size() > 1 ? left.poll() : left.peek();
          }
          if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args); // awaitRollout, the SDK's own loop
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }

  private static String watch(List<Rollout> answers, int revision, boolean terminal, int[] exit)
      throws InterruptedException {
    StringWriter out = new StringWriter();
    exit[0] = new RolloutWatch(answering(answers), new PrintWriter(out, true), terminal).await("web", revision);
    return out.toString();
  }

  @Test
  void withoutATerminalEachChangeIsALineAndACompleteRolloutExitsZero() throws Exception {
    int[] exit = new int[1];
    String out = watch(List.of(rollout(2, RolloutState.PROGRESSING, 0, Optional.empty()),
        rollout(2, RolloutState.PROGRESSING, 0, Optional.empty()),
        rollout(2, RolloutState.PROGRESSING, 1, Optional.empty()),
        rollout(2, RolloutState.COMPLETE, 3, Optional.empty())), 2, false, exit);

    assertThat(out.lines()).containsExactly(
        "revision 2: PROGRESSING 0 updated, 0 ready, 0 available of 3, 3 old",
        "revision 2: PROGRESSING 1 updated, 1 ready, 1 available of 3, 2 old",
        "revision 2: COMPLETE 3 updated, 3 ready, 3 available of 3");
    assertThat(exit[0]).isEqualTo(ExitCodes.OK);
  }

  @Test
  void onATerminalTheLineIsRedrawnInPlace() throws Exception {
    int[] exit = new int[1];
    String out = watch(List.of(rollout(2, RolloutState.PROGRESSING, 1, Optional.empty()),
        rollout(2, RolloutState.COMPLETE, 3, Optional.empty())), 2, true, exit);

    assertThat(out).startsWith("\r\033[K").contains("\r\033[Krevision 2: COMPLETE").endsWith(System.lineSeparator());
    assertThat(out.chars().filter(c -> c == '\n').count()).as("one line, ended once the rollout is").isEqualTo(1);
  }

  @Test
  void aRevertedRolloutExitsNonZeroAndSaysFromWhich() throws Exception {
    int[] exit = new int[1];
    String out = watch(List.of(rollout(2, RolloutState.PROGRESSING, 1, Optional.empty()),
        rollout(1, RolloutState.PROGRESSING, 2, Optional.of(2)),
        rollout(1, RolloutState.REVERTED, 3, Optional.of(2))), 2, false, exit);

    assertThat(out).contains("revision 1: REVERTED").contains("reverting from revision 2");
    assertThat(exit[0]).isEqualTo(ExitCodes.ROLLOUT_FAILED);
  }

  private static Rollout paused(RolloutReason reason, int updated) {
    return rollout(2, RolloutState.PROGRESSING, updated, Optional.empty())
        .with(RolloutState.PAUSED, reason, "");
  }

  @Test
  void aCanaryWaitingForPromoteNamesTheCommandThatContinuesItOnceAndTheWatchGoesOn() throws Exception {
    int[] exit = new int[1];
    String out = watch(List.of(rollout(2, RolloutState.PROGRESSING, 0, Optional.empty()),
        paused(RolloutReason.CANARY_WAITING_FOR_PROMOTE, 1),
        paused(RolloutReason.CANARY_WAITING_FOR_PROMOTE, 1),
        rollout(2, RolloutState.PROGRESSING, 2, Optional.empty()),
        rollout(2, RolloutState.COMPLETE, 3, Optional.empty())), 2, false, exit);

    assertThat(out.lines()).containsExactly(
        "revision 2: PROGRESSING 0 updated, 0 ready, 0 available of 3, 3 old",
        "revision 2: PAUSED 1 updated, 1 ready, 1 available of 3, 2 old",
        "paused after its canary copies; waiting for: shepherd rollout promote web",
        "revision 2: PROGRESSING 2 updated, 2 ready, 2 available of 3, 1 old",
        "revision 2: COMPLETE 3 updated, 3 ready, 3 available of 3");
    assertThat(exit[0]).isEqualTo(ExitCodes.OK);
  }

  @Test
  void aUsersPauseNamesResumeAndOnATerminalTheHintHasALineOfItsOwn() throws Exception {
    int[] exit = new int[1];
    String out = watch(List.of(paused(RolloutReason.PAUSED_BY_USER, 1),
        rollout(2, RolloutState.COMPLETE, 3, Optional.empty())), 2, true, exit);

    assertThat(out).isEqualTo("\r\033[Krevision 2: PAUSED 1 updated, 1 ready, 1 available of 3, 2 old"
        + System.lineSeparator() + "paused; waiting for: shepherd rollout resume web" + System.lineSeparator()
        + "\r\033[Krevision 2: COMPLETE 3 updated, 3 ready, 3 available of 3" + System.lineSeparator());
    assertThat(exit[0]).isEqualTo(ExitCodes.OK);
  }

  @Test
  void theEndedRolloutOfAnEarlierRevisionIsNotTheEndOfTheOneWaitedFor() throws Exception {
    int[] exit = new int[1];
    String out = watch(List.of(rollout(1, RolloutState.COMPLETE, 3, Optional.empty()),
        rollout(2, RolloutState.FAILED, 1, Optional.empty())), 2, false, exit);

    assertThat(out.lines()).hasSize(2);
    assertThat(exit[0]).isEqualTo(ExitCodes.ROLLOUT_FAILED);
  }
}
