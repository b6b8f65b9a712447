package io.shepherd.server.controller;

/**
 * What proves this server still leads, checked inside every controller transaction: the {@code /epoch} znode
 * still has the version this leader gave it, and this server's latch node still exists. A newer leader bumps the
 * epoch; a reconnect replaces the latch node; either way a stale leader's transaction fails as a whole.
 *
 * @param epoch        the controller epoch this leader won
 * @param epochVersion the {@code /epoch} znode's version after this leader's increment
 * @param latchPath    this server's LeaderLatch node when it won
 */
public record Fence(long epoch, int epochVersion, String latchPath) {}
