package io.shepherd.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.worker.agent.CopyElection.Participant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who leads a set's copies, from the election's participants. */
class CopyElectionTest {
  private static final String DIR = "/shepherd/copy-elections/web/";

  private static Participant p(String protectedPrefix, long seq, String id, long czxid) {
    return new Participant(DIR + protectedPrefix + "n_" + String.format("%010d", seq), id, czxid);
  }

  @Test
  void noParticipantsNoLeaderAndTermZero() {
    CopyElection.Outcome outcome = CopyElection.decide(List.of());

    assertThat(outcome.leader()).isEmpty();
    assertThat(outcome.term()).isZero();
    assertThat(outcome.ledBy(Optional.of(DIR + "n_0000000001"))).isFalse();
  }

  @Test
  void theLowestSequenceLeadsWhateverItsProtectionPrefix() {
    Participant first = p("_c_9f-", 3, "i1", 300);
    Participant second = p("_c_00-", 4, "i2", 400);

    CopyElection.Outcome outcome = CopyElection.decide(List.of(second, first));

    assertThat(outcome.leader()).contains(first);
    assertThat(outcome.term()).isEqualTo(300);
    assertThat(outcome.ledBy(Optional.of(first.path()))).isTrue();
    assertThat(outcome.ledBy(Optional.of(second.path()))).isFalse();
    assertThat(outcome.ledBy(Optional.empty())).isFalse();
  }

  @Test
  void theTermRisesWithEveryChangeOfLeaderAndStaysWhileTheLeaderDoes() {
    Participant a = p("", 1, "i1", 100);
    Participant b = p("", 2, "i2", 120);
    Participant c = p("", 3, "i3", 150);

    long t1 = CopyElection.decide(List.of(a, b)).term();
    long sameLeaderNewFollower = CopyElection.decide(List.of(a, b, c)).term();
    long afterALeaves = CopyElection.decide(List.of(b, c)).term();
    long afterBLeaves = CopyElection.decide(List.of(c)).term();

    assertThat(sameLeaderNewFollower).isEqualTo(t1);
    assertThat(afterALeaves).isGreaterThan(t1);
    assertThat(afterBLeaves).isGreaterThan(afterALeaves);
  }

  @Test
  void theSameInstanceRejoiningIsNotTheLeaderItsOldParticipantWas() {
    Participant old = p("", 1, "i1", 100);
    Participant rejoined = p("", 5, "i1", 500);

    CopyElection.Outcome outcome = CopyElection.decide(List.of(old, rejoined));

    assertThat(outcome.ledBy(Optional.of(rejoined.path()))).isFalse();
  }

  @Test
  void namesWithoutASequenceTakeNoPart() {
    Participant stray = new Participant(DIR + "stray", "x", 1);
    Participant real = p("", 2, "i2", 200);

    assertThat(CopyElection.decide(List.of(stray, real)).leader()).contains(real);
    assertThat(CopyElection.sequenceOf(DIR + "n_0000000042")).contains(42L);
    assertThat(CopyElection.sequenceOf(DIR + "n_x")).isEmpty();
  }
}
