package io.shepherd.server.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalInt;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.OpResult;
import org.junit.jupiter.api.Test;

/** Reading a fenced transaction's refusal back: the fence's checks come first, the caller's operations after. */
class FencedTransactionTest {
  private static OpResult ok() {
    return new OpResult.ErrorResult(Code.OK.intValue());
  }

  private static OpResult failed(Code code) {
    return new OpResult.ErrorResult(code.intValue());
  }

  private static OpResult rolledBack() {
    return new OpResult.ErrorResult(Code.RUNTIMEINCONSISTENCY.intValue());
  }

  @Test
  void aFailedEpochCheckIsTheFence() {
    FencedTransaction.Refusal r = FencedTransaction.Refusal.of(
        List.of(failed(Code.BADVERSION), rolledBack(), rolledBack()), Code.BADVERSION);

    assertThat(r).isEqualTo(new FencedTransaction.Refusal(true, OptionalInt.empty(), Code.BADVERSION));
  }

  @Test
  void aMissingLatchNodeIsTheFence() {
    FencedTransaction.Refusal r = FencedTransaction.Refusal.of(
        List.of(ok(), failed(Code.NONODE), rolledBack()), Code.NONODE);

    assertThat(r.fenced()).isTrue();
    assertThat(r.failedOp()).isEmpty();
  }

  @Test
  void aCallersOperationIsCountedFromTheFirstAfterTheFence() {
    FencedTransaction.Refusal r = FencedTransaction.Refusal.of(
        List.of(ok(), ok(), ok(), failed(Code.NODEEXISTS), rolledBack()), Code.NODEEXISTS);

    assertThat(r).isEqualTo(new FencedTransaction.Refusal(false, OptionalInt.of(1), Code.NODEEXISTS));
    assertThat(r.failedAt(1, Code.BADVERSION, Code.NODEEXISTS)).isTrue();
    assertThat(r.failedAt(0, Code.BADVERSION, Code.NODEEXISTS)).as("another operation").isFalse();
    assertThat(r.failedAt(1, Code.BADVERSION)).as("another error").isFalse();
  }

  @Test
  void withoutPerOperationResultsNothingIsKnownButTheCode() {
    FencedTransaction.Refusal r = FencedTransaction.Refusal.of(null, Code.CONNECTIONLOSS);

    assertThat(r).isEqualTo(new FencedTransaction.Refusal(false, OptionalInt.empty(), Code.CONNECTIONLOSS));
    assertThat(r.failedAt(0, Code.CONNECTIONLOSS)).isFalse();
  }

  @Test
  void theBreakerWriteTellsTheFenceFromARaceFromAnythingElse() {
    assertThat(BreakerWrites.refusal(FencedTransaction.Refusal.of(
        List.of(failed(Code.BADVERSION), rolledBack(), rolledBack()), Code.BADVERSION)))
        .isEqualTo(BreakerWrites.Outcome.FENCED);
    assertThat(BreakerWrites.refusal(FencedTransaction.Refusal.of(
        List.of(ok(), ok(), failed(Code.BADVERSION)), Code.BADVERSION)))
        .isEqualTo(BreakerWrites.Outcome.CHANGED_SINCE_READ);
    assertThat(BreakerWrites.refusal(FencedTransaction.Refusal.of(
        List.of(ok(), ok(), failed(Code.NODEEXISTS)), Code.NODEEXISTS)))
        .isEqualTo(BreakerWrites.Outcome.CHANGED_SINCE_READ);
    assertThat(BreakerWrites.refusal(FencedTransaction.Refusal.of(
        List.of(ok(), ok(), failed(Code.NONODE)), Code.NONODE)))
        .isEqualTo(BreakerWrites.Outcome.FAILED);
    assertThat(BreakerWrites.refusal(FencedTransaction.Refusal.of(null, Code.CONNECTIONLOSS)))
        .isEqualTo(BreakerWrites.Outcome.FAILED);
  }
}
