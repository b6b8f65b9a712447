package io.shepherd.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How a copy's own agent restarts it in place when it exits: at most {@code localAttempts} restarts within
 * {@code windowMs}; after that (or when the copy cannot be started at all) the agent gives the copy back and the
 * leader reschedules it, preferring another node. {@code localAttempts: 0} turns local restarts off.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RestartPolicy(Integer localAttempts, Long windowMs) {

  public static final int DEFAULT_LOCAL_ATTEMPTS = 10;
  public static final long DEFAULT_WINDOW_MS = 600_000L;
  public static final RestartPolicy DEFAULT = new RestartPolicy(DEFAULT_LOCAL_ATTEMPTS, DEFAULT_WINDOW_MS);

  public RestartPolicy {
    localAttempts = localAttempts == null ? DEFAULT_LOCAL_ATTEMPTS : localAttempts;
    windowMs = windowMs == null ? DEFAULT_WINDOW_MS : windowMs;
  }
}
