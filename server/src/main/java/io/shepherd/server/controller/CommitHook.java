package io.shepherd.server.controller;

/**
 * Runs between deciding and committing a plan. Production uses {@link #NONE}; fault tests install a hook that
 * blocks here to make a leader stale on purpose (a zombie that decided, paused, and wakes to commit).
 */
@FunctionalInterface
public interface CommitHook {
  CommitHook NONE = plan -> { };

  void beforeCommit(Plan plan) throws InterruptedException;
}
