package io.shepherd.worker.record;

import java.time.Instant;

/**
 * The agent's count of a copy's restarts in place, kept in its assignment so that it survives an agent restart and
 * a leader failover.
 *
 * @param since   when the current window began
 * @param count   restarts in place within the window
 * @param crashes crashes in a row (exits before the minimum uptime): the backoff grows with them
 */
public record RestartWindow(Instant since, int count, int crashes) {}
