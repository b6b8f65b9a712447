package io.shepherd.server.controller;

/**
 * What a controller is told to call besides its own work, given when it is built.
 *
 * @param observer   told of the controller's work (metrics)
 * @param commitHook runs between deciding and committing each plan (fault tests make a leader stale with it)
 */
public record ControllerHooks(ControllerObserver observer, CommitHook commitHook) {
  /** Tells nobody, holds nothing back: a server's default. */
  public static final ControllerHooks NONE = new ControllerHooks(ControllerObserver.NONE, CommitHook.NONE);

  public ControllerHooks withObserver(ControllerObserver o) {
    return new ControllerHooks(o, commitHook);
  }

  public ControllerHooks withCommitHook(CommitHook h) {
    return new ControllerHooks(observer, h);
  }
}
