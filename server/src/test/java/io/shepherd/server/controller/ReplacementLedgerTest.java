package io.shepherd.server.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.server.controller.ReplacementLedger.Replaced;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the leader's replacement times measure: one row per story of a lost copy, told to the ledger as the ingest
 * and the reconcile loop tell it, and what registering copy {@code r1} (or {@code r2}) at second 60 then reports.
 */
class ReplacementLedgerTest {
  private static final Instant T0 = Instant.parse("2030-01-01T12:00:00Z");
  private static final Instant REGISTERED = at(60);

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  private static Optional<Replaced> took(String replicaSet, int seconds) {
    return Optional.of(new Replaced(replicaSet, Duration.ofSeconds(seconds)));
  }

  private static Arguments row(String story, Consumer<ReplacementLedger> told, String registers,
      Optional<Replaced> expected) {
    return Arguments.of(story, told, registers, expected);
  }

  static Stream<Arguments> stories() {
    return Stream.of(
        row("a copy lost with its node and replaced in the same plan is timed from the loss the view saw",
            l -> {
              l.lost("c1", at(0));
              l.planned("web", List.of("c1"), List.of(), List.of("r1"), false, at(2));
            }, "r1", took("web", 60)),
        row("the first sight of a loss counts: a copy seen lost again later keeps its first time",
            l -> {
              l.lost("c1", at(0));
              l.lost("c1", at(5));
              l.planned("web", List.of("c1"), List.of(), List.of("r1"), false, at(6));
            }, "r1", took("web", 60)),
        row("a dead copy whose loss the view never saw (never registered, stopped over REST) counts from the decision",
            l -> l.planned("web", List.of("c1"), List.of(), List.of("r1"), false, at(10)),
            "r1", took("web", 50)),
        row("a copy that lived again (restarted in place after a backoff) is no loss any more",
            l -> {
              l.lost("c1", at(0));
              l.registered("c1", at(3));
              l.planned("web", List.of("c1"), List.of(), List.of("r1"), false, at(20));
            }, "r1", took("web", 40)),
        row("a replacement started by a later plan (after the backoff) takes the loss owed",
            l -> {
              l.lost("c1", at(0));
              l.planned("web", List.of("c1"), List.of(), List.of(), true, at(1));
              l.planned("web", List.of(), List.of(), List.of("r1"), false, at(30));
            }, "r1", took("web", 60)),
        row("the oldest loss owed goes to the first copy started",
            l -> {
              l.lost("c2", at(20));
              l.lost("c1", at(0));
              l.planned("web", List.of("c2", "c1"), List.of(), List.of("r1", "r2"), false, at(21));
            }, "r1", took("web", 60)),
        row("the second copy started takes the second loss",
            l -> {
              l.lost("c2", at(20));
              l.lost("c1", at(0));
              l.planned("web", List.of("c2", "c1"), List.of(), List.of("r1", "r2"), false, at(21));
            }, "r2", took("web", 40)),
        row("copies started beyond the losses owed (a scale-up) are no replacements",
            l -> {
              l.lost("c1", at(0));
              l.planned("web", List.of("c1"), List.of(), List.of("r2", "r1"), false, at(1));
            }, "r1", Optional.empty()),
        row("a replacement that died before registering hands its loss on to the next",
            l -> {
              l.lost("c1", at(0));
              l.planned("web", List.of("c1"), List.of(), List.of("r0"), false, at(1));
              l.planned("web", List.of("r0"), List.of(), List.of("r1"), false, at(31));
            }, "r1", took("web", 60)),
        row("a replacement stopped before registering (a scale-down) is no longer owed",
            l -> {
              l.lost("c1", at(0));
              l.planned("web", List.of("c1"), List.of(), List.of("r1"), false, at(1));
              l.planned("web", List.of(), List.of("r1"), List.of(), false, at(2));
            }, "r1", Optional.empty()),
        row("a loss the set no longer lacks a copy for (scaled down meanwhile) is dropped",
            l -> {
              l.lost("c1", at(0));
              l.planned("web", List.of("c1"), List.of(), List.of(), false, at(1));
              l.planned("web", List.of(), List.of(), List.of("r1"), false, at(30));
            }, "r1", Optional.empty()),
        row("a deleted set's replacements are not timed",
            l -> {
              l.lost("c1", at(0));
              l.planned("web", List.of("c1"), List.of(), List.of("r1"), false, at(1));
              l.forget("web");
            }, "r1", Optional.empty()),
        row("losses of another set are not taken",
            l -> {
              l.lost("c1", at(0));
              l.planned("api", List.of("c1"), List.of(), List.of(), true, at(1));
              l.planned("web", List.of(), List.of(), List.of("r1"), false, at(2));
            }, "r1", Optional.empty()),
        row("a replacement whose assignment is gone is not timed",
            l -> {
              l.lost("c1", at(0));
              l.planned("web", List.of("c1"), List.of(), List.of("r1"), false, at(1));
              l.gone("r1");
            }, "r1", Optional.empty()),
        row("a replacement not assigned after the whole tree was read again is not timed",
            l -> {
              l.lost("c1", at(0));
              l.planned("web", List.of("c1"), List.of(), List.of("r1"), false, at(1));
              l.retain(Set.of("r2"));
            }, "r1", Optional.empty()),
        row("a loss seen after the replacement's registration (clocks never go back here) counts as no time",
            l -> l.planned("web", List.of("c1"), List.of(), List.of("r1"), false, at(90)),
            "r1", Optional.of(new Replaced("web", Duration.ZERO))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stories")
  void whatARegistrationReports(String story, Consumer<ReplacementLedger> told, String registers,
      Optional<Replaced> expected) {
    ReplacementLedger ledger = new ReplacementLedger();
    told.accept(ledger);

    assertThat(ledger.registered(registers, REGISTERED)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stories")
  void aReplacementIsTimedOnce(String story, Consumer<ReplacementLedger> told, String registers,
      Optional<Replaced> expected) {
    ReplacementLedger ledger = new ReplacementLedger();
    told.accept(ledger);
    ledger.registered(registers, REGISTERED);

    assertThat(ledger.registered(registers, REGISTERED.plusSeconds(1))).as("registered again (a readiness flip)")
        .isEmpty();
  }

  @Test
  void nothingIsKeptForACopyOnceItsStoryEnds() {
    ReplacementLedger ledger = new ReplacementLedger();
    ledger.lost("c1", at(0));
    ledger.planned("web", List.of("c1"), List.of(), List.of("r1"), true, at(1));
    ledger.lost("c2", at(2));
    ledger.planned("web", List.of("c2"), List.of(), List.of(), true, at(3));
    assertThat(ledger.owed("web")).isEqualTo(1);
    assertThat(ledger.replacing()).isEqualTo(1);

    ledger.registered("r1", at(4));
    ledger.planned("web", List.of(), List.of(), List.of(), false, at(5));

    assertThat(ledger.owed("web")).isZero();
    assertThat(ledger.replacing()).isZero();
  }
}
