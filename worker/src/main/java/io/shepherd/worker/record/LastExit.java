package io.shepherd.worker.record;

import java.time.Instant;

/**
 * How a copy's previous process ended.
 *
 * @param code  its exit code; a negative number is the signal that ended it ({@code -9} for SIGKILL)
 * @param at    when it ended
 * @param ranMs how long it had run
 */
public record LastExit(int code, Instant at, long ranMs) {}
