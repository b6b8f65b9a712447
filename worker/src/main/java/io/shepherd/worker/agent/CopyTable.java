package io.shepherd.worker.agent;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The copies this agent runs, and the assignments it has already acted on in this run. Thread-safe.
 *
 * <p>"Handled" makes every assignment launch at most once per agent run, whatever the cache shows while it
 * catches up with the agent's own writes; it is forgotten when the assignment is deleted.
 */
final class CopyTable {
  private final Map<String, Copy> copies = new ConcurrentHashMap<>();
  private final Set<String> handled = ConcurrentHashMap.newKeySet();

  Optional<Copy> get(String instanceId) {
    return Optional.ofNullable(copies.get(instanceId));
  }

  void add(Copy copy) {
    handled.add(copy.instanceId());
    copies.put(copy.instanceId(), copy);
  }

  /** Puts {@code next} in place of {@code ended} (the same instance id), as one step for every reader. */
  void replace(Copy ended, Copy next) {
    handled.add(next.instanceId());
    if (!copies.replace(ended.instanceId(), ended, next)) {
      copies.put(next.instanceId(), next);
    }
  }

  /** Removes the copy if it is still this one. */
  void remove(Copy copy) {
    copies.remove(copy.instanceId(), copy);
    synchronized (this) {
      notifyAll();
    }
  }

  /** Waits until no copy is left; false if some still are after {@code timeout}. */
  synchronized boolean awaitEmpty(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!copies.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /** Every copy, a snapshot. */
  List<Copy> all() {
    return List.copyOf(copies.values());
  }

  Collection<String> ids() {
    return Set.copyOf(copies.keySet());
  }

  int size() {
    return copies.size();
  }

  /** Whether the copy runs here and has not ended. */
  boolean isRunning(String instanceId) {
    Copy c = copies.get(instanceId);
    return c != null && !c.hasExited();
  }

  /** Marks the assignment as acted on; false if it already was. */
  boolean markHandled(String instanceId) {
    return handled.add(instanceId);
  }

  boolean isHandled(String instanceId) {
    return handled.contains(instanceId);
  }

  /** Lets the assignment be acted on again: its decision could not be written. */
  void unmarkHandled(String instanceId) {
    handled.remove(instanceId);
  }

  /** Forgets an assignment that is gone and has no copy here. */
  void forget(String instanceId) {
    if (!copies.containsKey(instanceId)) {
      handled.remove(instanceId);
    }
  }
}
