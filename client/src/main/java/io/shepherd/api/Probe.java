package io.shepherd.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A health check the agent runs against each copy: a spec's {@code startup}, {@code liveness} or {@code readiness}.
 * Exactly one kind: {@code exec} (an argv run on the copy's node; exit 0 passes), {@code http} (a GET to
 * {@code 127.0.0.1:<the copy's port of that name><path>}; a status 200-399 passes) or {@code tcp} (a connect to
 * the copy's port of that name passes). The timings are Kubernetes' and have its defaults.
 *
 * @param exec             run this argv; killed after {@code timeoutMs}
 * @param http             GET this path on this port
 * @param tcp              connect to this port
 * @param initialDelayMs   how long after the copy started the first run comes (default 0)
 * @param periodMs         between the starts of two runs (default 10000)
 * @param timeoutMs        how long one run may take before it fails (default 1000)
 * @param failureThreshold consecutive failures that make the probe fail (default 3)
 * @param successThreshold consecutive successes that make it pass again (default 1; must be 1 for liveness and
 *                         startup)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Probe(
    Exec exec, Http http, Tcp tcp,
    Long initialDelayMs, Long periodMs, Long timeoutMs, Integer failureThreshold, Integer successThreshold) {

  public static final long DEFAULT_INITIAL_DELAY_MS = 0;
  public static final long DEFAULT_PERIOD_MS = 10_000;
  public static final long DEFAULT_TIMEOUT_MS = 1_000;
  public static final int DEFAULT_FAILURE_THRESHOLD = 3;
  public static final int DEFAULT_SUCCESS_THRESHOLD = 1;

  public Probe {
    initialDelayMs = initialDelayMs == null ? DEFAULT_INITIAL_DELAY_MS : initialDelayMs;
    periodMs = periodMs == null ? DEFAULT_PERIOD_MS : periodMs;
    timeoutMs = timeoutMs == null ? DEFAULT_TIMEOUT_MS : timeoutMs;
    failureThreshold = failureThreshold == null ? DEFAULT_FAILURE_THRESHOLD : failureThreshold;
    successThreshold = successThreshold == null ? DEFAULT_SUCCESS_THRESHOLD : successThreshold;
  }

  /** Runs {@code command} (an argv, never a shell line); exit 0 passes. */
  public record Exec(List<String> command) {
    public Exec {
      // Nulls survive so that validation can name the element.
      command = command == null ? null : Collections.unmodifiableList(new ArrayList<>(command));
    }
  }

  /** GETs {@code path} (default {@code /}) on the copy's port named {@code port}; 200-399 passes. */
  public record Http(String port, String path) {
    public Http {
      path = path == null ? "/" : path;
    }
  }

  /** Connects to the copy's port named {@code port}; a connect passes. */
  public record Tcp(String port) {}

  public static Probe exec(List<String> command) {
    return new Probe(new Exec(command), null, null, null, null, null, null, null);
  }

  public static Probe http(String port, String path) {
    return new Probe(null, new Http(port, path), null, null, null, null, null, null);
  }

  public static Probe tcp(String port) {
    return new Probe(null, null, new Tcp(port), null, null, null, null, null);
  }

  /** This probe with other timings. */
  public Probe withTimings(long newInitialDelayMs, long newPeriodMs, long newTimeoutMs, int newFailureThreshold,
      int newSuccessThreshold) {
    return new Probe(exec, http, tcp, newInitialDelayMs, newPeriodMs, newTimeoutMs, newFailureThreshold,
        newSuccessThreshold);
  }
}
