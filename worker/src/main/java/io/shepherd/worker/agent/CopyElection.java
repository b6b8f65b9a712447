package io.shepherd.worker.agent;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Who leads one replica set's copies, from the participants of its election: the participant with the lowest
 * sequence number (ZooKeeper's ephemeral sequential znodes, one per ready copy). The term is the leader's znode's
 * czxid: a later leader's znode was created after every earlier leader's (it was lower than none of theirs while
 * they led, and sequence numbers follow creation), so the term rises with every change of leader, and it stays the
 * same while the leader does. Pure.
 */
final class CopyElection {
  /** Where election znodes' names keep their sequence number: the last ten characters. */
  static final int SEQUENCE_DIGITS = 10;

  /** One participant: its znode's path, the instance it stands for, its czxid. */
  record Participant(String path, String instanceId, long czxid) {}

  /** The outcome: the leader's participant, if any ready copy takes part. */
  record Outcome(Optional<Participant> leader) {
    static final Outcome NONE = new Outcome(Optional.empty());

    /** The fencing term: the leader's czxid, 0 without a leader. */
    long term() {
      return leader.map(Participant::czxid).orElse(0L);
    }

    /** Whether the participant at {@code path} leads. */
    boolean ledBy(Optional<String> path) {
      return path.isPresent() && leader.map(l -> l.path().equals(path.get())).orElse(false);
    }
  }

  private CopyElection() {}

  static Outcome decide(List<Participant> participants) {
    return new Outcome(participants.stream()
        .filter(p -> sequenceOf(p.path()).isPresent())
        .min(Comparator.comparingLong((Participant p) -> sequenceOf(p.path()).orElseThrow())
            .thenComparingLong(Participant::czxid)));
  }

  /** The sequence number ZooKeeper appended to a znode's name; empty for a name without one. */
  static Optional<Long> sequenceOf(String path) {
    int slash = path.lastIndexOf('/');
    String name = path.substring(slash + 1);
    if (name.length() < SEQUENCE_DIGITS) {
      return Optional.empty();
    }
    String digits = name.substring(name.length() - SEQUENCE_DIGITS);
    for (int i = 0; i < digits.length(); i++) {
      if (!Character.isDigit(digits.charAt(i))) {
        return Optional.empty();
      }
    }
    return Optional.of(Long.parseLong(digits));
  }
}
