package io.shepherd.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.api.Event;
import io.shepherd.api.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventJournalTest {
  private static Event event(long id) {
    return new Event(id, EventType.NODE_UP, Instant.EPOCH, null, null, null, "event " + id);
  }

  private static List<Long> ids(List<Event> events) {
    return events.stream().map(Event::id).toList();
  }

  @Test
  void aResumingSubscriberGetsTheKeptEventsStrictlyAfterItsId() {
    EventJournal journal = new EventJournal(10, 10);
    List.of(10L, 20L, 30L, 40L).forEach(id -> journal.publish(event(id)));

    assertThat(ids(journal.subscribe(OptionalLong.of(20)).backlog())).containsExactly(30L, 40L);
    assertThat(ids(journal.subscribe(OptionalLong.of(25)).backlog())).containsExactly(30L, 40L);
    assertThat(ids(journal.subscribe(OptionalLong.of(40)).backlog())).isEmpty();
    assertThat(journal.subscribe(OptionalLong.of(20)).gapUpTo()).isEmpty();
  }

  @Test
  void aSubscriberWithoutResumePointGetsOnlyLaterEvents() throws Exception {
    EventJournal journal = new EventJournal(10, 10);
    journal.publish(event(10));
    Subscription s = journal.subscribe(OptionalLong.empty());
    journal.publish(event(20));

    assertThat(s.backlog()).isEmpty();
    assertThat(ids(s.next(Duration.ofSeconds(1)).events())).containsExactly(20L);
  }

  @Test
  void aResumePointOlderThanTheBufferStartsAtTheOldestKeptEventAndReportsTheGap() {
    EventJournal journal = new EventJournal(3, 10);
    List.of(10L, 20L, 30L, 40L, 50L).forEach(id -> journal.publish(event(id)));

    Subscription old = journal.subscribe(OptionalLong.of(5));
    assertThat(ids(old.backlog())).containsExactly(30L, 40L, 50L);
    assertThat(old.gapUpTo()).hasValue(20);
    // Evicted events at or before the resume point are no gap.
    assertThat(journal.subscribe(OptionalLong.of(20)).gapUpTo()).isEmpty();
    assertThat(journal.subscribe(OptionalLong.of(25)).gapUpTo()).isEmpty();
  }

  @Test
  void aResumePointBeforeTheFirstEventThisServerSawMayHaveAGap() {
    EventJournal journal = new EventJournal(10, 10);
    journal.publish(event(100));

    assertThat(journal.subscribe(OptionalLong.of(50)).gapUpTo()).hasValue(99);
    assertThat(journal.subscribe(OptionalLong.of(99)).gapUpTo()).isEmpty();
  }

  @Test
  void changesMissedWhileDisconnectedAreAHoleLiveSubscribersGetBeforeTheNextEvent() throws Exception {
    EventJournal journal = new EventJournal(10, 10);
    journal.publish(event(100));
    Subscription live = journal.subscribe(OptionalLong.empty());
    journal.publish(event(101));
    journal.missed();
    journal.publish(event(140));
    journal.publish(event(141));

    Subscription.Batch before = live.next(Duration.ofSeconds(1));
    assertThat(ids(before.events())).containsExactly(101L);
    assertThat(before.gap()).isEmpty();
    Subscription.Batch after = live.next(Duration.ofSeconds(1));
    assertThat(after.gap()).hasValue(new Subscription.Gap(101, 139));
    assertThat(ids(after.events())).containsExactly(140L, 141L);
    // A subscriber resuming from before the hole is told when it subscribes; one after it is not.
    assertThat(journal.subscribe(OptionalLong.of(101)).gapUpTo()).hasValue(139);
    assertThat(journal.subscribe(OptionalLong.of(140)).gapUpTo()).isEmpty();
  }

  @Test
  void backlogThenLiveEventsArriveExactlyOnceWhilePublishingGoesOn() throws Exception {
    EventJournal journal = new EventJournal(100_000, 100_000);
    CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> {
      for (long id = 1; id <= 20_000; id++) {
        journal.publish(event(id));
      }
    });
    Subscription s = journal.subscribe(OptionalLong.of(0));
    List<Long> seen = new ArrayList<>(ids(s.backlog()));
    while (seen.size() < 20_000) {
      seen.addAll(ids(s.next(Duration.ofSeconds(5)).events()));
    }
    publisher.get(10, TimeUnit.SECONDS);
    assertThat(seen).hasSize(20_000).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void aSubscriberThatFallsBehindIsEndedWithoutBlockingThePublisherAndCanResume() throws Exception {
    EventJournal journal = new EventJournal(100, 2);
    Subscription slow = journal.subscribe(OptionalLong.empty());
    for (long id = 1; id <= 5; id++) {
      journal.publish(event(id)); // returns although nobody reads
    }

    Subscription.Batch queued = slow.next(Duration.ofSeconds(1));
    assertThat(ids(queued.events())).containsExactly(1L, 2L);
    assertThat(slow.next(Duration.ofSeconds(1)).end()).hasValue(Subscription.End.TOO_SLOW);
    assertThat(journal.subscriberCount()).isZero();

    Subscription resumed = journal.subscribe(OptionalLong.of(2));
    assertThat(ids(resumed.backlog())).containsExactly(3L, 4L, 5L);
  }

  @Test
  void anIdleSubscriberGetsAnEmptyBatchForAKeepAlive() throws Exception {
    EventJournal journal = new EventJournal(10, 10);
    Subscription s = journal.subscribe(OptionalLong.empty());
    Subscription.Batch idle = s.next(Duration.ofMillis(50));
    assertThat(idle.events()).isEmpty();
    assertThat(idle.end()).isEmpty();
  }

  @Test
  void closingTheJournalEndsEverySubscriptionAndLaterOnes() throws Exception {
    EventJournal journal = new EventJournal(10, 10);
    Subscription s = journal.subscribe(OptionalLong.empty());
    CompletableFuture<Subscription.Batch> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return s.next(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    journal.close();

    assertThat(waiting.get(5, TimeUnit.SECONDS).end()).hasValue(Subscription.End.SHUTDOWN);
    assertThat(journal.subscribe(OptionalLong.empty()).next(Duration.ofSeconds(1)).end())
        .hasValue(Subscription.End.SHUTDOWN);
  }

  @Test
  void anIdThatDoesNotGrowIsDropped() {
    EventJournal journal = new EventJournal(10, 10);
    journal.publish(event(10));
    journal.publish(event(10));
    journal.publish(event(5));
    assertThat(ids(journal.events())).containsExactly(10L);
  }
}
