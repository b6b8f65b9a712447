package io.shepherd.server.testing;

import io.shepherd.api.Instance;
import io.shepherd.client.ShepherdClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Watches one replica set every 20 ms through the API, as a user would: the most copies (live or pending) and the
 * fewest ready copies it ever saw. Start it once the set is whole and ready, so the floor it reports is the one a
 * rollout must keep. It also counts its reads ({@link #counts}): those that failed, and of those that did not, the ones
 * that saw a copy of another revision than the spec's (the rollout not yet done) and the ones that saw none, so that a
 * test can show it kept sampling through a fault, not only before it.
 */
public final class RolloutSampler implements AutoCloseable {
  public static final Duration PERIOD = Duration.ofMillis(20);

  private final ShepherdClient client;
  private final String name;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "rollout-sampler");
    t.setDaemon(true);
    return t;
  });
  private final AtomicInteger maxCopies = new AtomicInteger(Integer.MIN_VALUE);
  private final AtomicInteger minReady = new AtomicInteger(Integer.MAX_VALUE);
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicInteger withOldCopies = new AtomicInteger();
  private final AtomicInteger withoutOldCopies = new AtomicInteger();

  public RolloutSampler(ShepherdClient client, String name) {
    this.client = client;
    this.name = name;
    timer.scheduleWithFixedDelay(this::sample, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void sample() {
    try {
      var status = client.get(name);
      List<Instance> live = status.instances();
      int ready = (int) live.stream().filter(Instance::ready).count();
      maxCopies.accumulateAndGet(status.live() + status.pending(), Math::max);
      minReady.accumulateAndGet(ready, Math::min);
      boolean old = live.stream().anyMatch(i -> i.revision() != status.revision());
      (old ? withOldCopies : withoutOldCopies).incrementAndGet();
    } catch (RuntimeException e) {
      failures.incrementAndGet(); // a request that failed saw nothing; counted so a test can tell
    }
  }

  /** The most copies, live or pending, seen at once. */
  public int maxCopies() {
    return maxCopies.get();
  }

  /** The fewest ready copies seen at once. */
  public int minReady() {
    return minReady.get();
  }

  /** How many reads failed (a server down during a failover): they saw nothing. */
  public int failedSamples() {
    return failures.get();
  }

  /** How many samples were taken. */
  public int samples() {
    return withOldCopies.get() + withoutOldCopies.get();
  }

  /**
   * The reads so far, or since {@code earlier} with {@link Counts#since}.
   *
   * @param samples          reads that succeeded (each one checked against both bounds)
   * @param failures         reads that failed (every server the client knows refused or timed out): they saw nothing
   * @param withOldCopies    successful reads that saw a live copy of another revision than the spec's
   * @param withoutOldCopies successful reads that saw only copies of the spec's revision
   */
  public record Counts(int samples, int failures, int withOldCopies, int withoutOldCopies) {
    /** What was counted after {@code earlier}. */
    public Counts since(Counts earlier) {
      return new Counts(samples - earlier.samples, failures - earlier.failures,
          withOldCopies - earlier.withOldCopies, withoutOldCopies - earlier.withoutOldCopies);
    }
  }

  /** The reads so far. */
  public Counts counts() {
    int old = withOldCopies.get();
    int none = withoutOldCopies.get();
    return new Counts(old + none, failures.get(), old, none);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
