package io.shepherd.server.testing;

import io.shepherd.server.controller.CommitHook;
import io.shepherd.server.controller.Plan;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A commit hook a test switches while the server runs: the server's controller is built with it (see
 * {@link ServerExtension#commitHook()}), and runs whichever hook the test has set, {@link CommitHook#NONE} at first.
 */
public final class SwitchedCommitHook implements CommitHook {
  private final AtomicReference<CommitHook> current = new AtomicReference<>(CommitHook.NONE);

  /** Runs {@code hook} from now on, in place of the hook set before. */
  public void set(CommitHook hook) {
    current.set(hook);
  }

  @Override
  public void beforeCommit(Plan plan) throws InterruptedException {
    current.get().beforeCommit(plan);
  }
}
