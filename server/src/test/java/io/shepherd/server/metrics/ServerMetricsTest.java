package io.shepherd.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.api.Event;
import io.shepherd.api.EventType;
import io.shepherd.worker.metrics.Exposition;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerMetricsTest {
  private final ServerMetrics metrics =
      new ServerMetrics(() -> new ClusterGauges.Reading(List.of(), true, 2, 1, false, true));

  private String scrape() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Exposition.write(out, metrics.scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  private static Event event(long id, EventType type) {
    return new Event(id, type, Instant.EPOCH, Optional.of("web"), Optional.empty(), Optional.empty(), "m");
  }

  @Test
  void eventsAreCountedByTypeAndStillHandedOnInOrder() throws Exception {
    List<Long> handed = new ArrayList<>();
    var publish = metrics.countingEvents(e -> handed.add(e.id()));

    publish.accept(event(1, EventType.INSTANCE_DOWN));
    publish.accept(event(2, EventType.INSTANCE_UP));
    publish.accept(event(3, EventType.INSTANCE_UP));

    assertThat(handed).containsExactly(1L, 2L, 3L);
    assertThat(scrape())
        .contains("shepherd_events_total{type=\"instance_up\"} 2")
        .contains("shepherd_events_total{type=\"instance_down\"} 1")
        .contains("shepherd_events_total{type=\"breaker\"} 0");
  }

  @Test
  void theLeadersReplacementsAreRestartsOfScopeReschedule() throws Exception {
    metrics.replacing("web", 2);
    metrics.replacing("web", 1);

    assertThat(scrape()).contains("shepherd_copy_restarts_total{replicaset=\"web\",scope=\"reschedule\"} 3")
        .doesNotContain("scope=\"local\"");
  }

  @Test
  void theLeadersReplacementsAreTimedInSecondsWithScopeReschedule() throws Exception {
    assertThat(scrape()).as("present from the start")
        .contains("shepherd_replacement_seconds_count{scope=\"reschedule\"} 0");

    metrics.replaced("web", Duration.ofMillis(7_500));

    assertThat(scrape())
        .contains("shepherd_replacement_seconds_bucket{scope=\"reschedule\",le=\"5.0\"} 0")
        .contains("shepherd_replacement_seconds_bucket{scope=\"reschedule\",le=\"10.0\"} 1")
        .contains("shepherd_replacement_seconds_count{scope=\"reschedule\"} 1")
        .contains("shepherd_replacement_seconds_sum{scope=\"reschedule\"} 7.5")
        .doesNotContain("replacement_seconds_count{replicaset");
  }

  @Test
  void reconcileBatchesAreTimedInSeconds() throws Exception {
    metrics.reconciled(3, Duration.ofMillis(2));

    assertThat(scrape())
        .contains("shepherd_reconcile_seconds_bucket{le=\"0.0025\"} 1")
        .contains("shepherd_reconcile_seconds_bucket{le=\"0.001\"} 0")
        .contains("shepherd_reconcile_seconds_count 1");
  }

  @Test
  void theJvmAndTheProcessAreMeasuredToo() throws Exception {
    assertThat(scrape()).contains("jvm_memory_used_bytes{area=\"heap\"}").contains("process_cpu_seconds_total")
        .contains("jvm_threads_current").contains("jvm_gc_collection_seconds");
  }
}
