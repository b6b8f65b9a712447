package io.shepherd.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.api.Event;
import io.shepherd.api.EventType;
import io.shepherd.api.ReplicaSetSummary;
import io.shepherd.api.RolloutState;
import io.shepherd.worker.metrics.Exposition;
import io.shepherd.worker.metrics.LabelAllowlist;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A server's whole scrape, with replica sets in every rollout state, events of every type, reschedules, their times
 * and reconcile batches behind it, and the JVM's metrics, carries no label outside {@link LabelAllowlist}: instance
 * ids (which every event and reschedule concerns) never become labels.
 */
class ServerLabelsTest {
  @Test
  void aServersWholeScrapeCarriesOnlyAllowedLabels() throws Exception {
    List<ReplicaSetSummary> sets = new ArrayList<>();
    for (RolloutState state : RolloutState.values()) {
      sets.add(new ReplicaSetSummary("set-" + state.name().toLowerCase(Locale.ROOT), 3, 2, 2, 1, 2, false,
          0, 2, Optional.of(state)));
    }
    sets.add(new ReplicaSetSummary("going", 0, 1, 1, 0, 0, true, 0));
    ServerMetrics metrics = new ServerMetrics(() -> new ClusterGauges.Reading(sets, true, 4, 2, true, true));
    var publish = metrics.countingEvents(e -> {});
    long id = 0;
    for (EventType type : EventType.values()) {
      publish.accept(new Event(++id, type, Instant.EPOCH, Optional.of("set-complete"),
          Optional.of("set-complete-k3x9q2ab"), Optional.of("node-a"), "a message"));
    }
    metrics.replacing("set-failed", 2);
    metrics.replaced("set-failed", Duration.ofSeconds(3));
    metrics.reconciled(7, Duration.ofMillis(4));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Exposition.write(out, metrics.scrape());
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).as("the state is in the scrape")
        .contains("shepherd_rollout_state{replicaset=\"set-paused\",state=\"PAUSED\"} 1")
        .contains("shepherd_copy_restarts_total{replicaset=\"set-failed\",scope=\"reschedule\"} 2")
        .contains("shepherd_replacement_seconds_count{scope=\"reschedule\"} 1")
        .contains("shepherd_events_total{type=\"instance_up\"} 1")
        .contains("jvm_memory_used_bytes");

    assertThat(LabelAllowlist.violations(text)).isEmpty();
  }
}
