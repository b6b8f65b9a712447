package io.shepherd.worker.agent;

import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.zk.ZkLayout;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;

/**
 * Test-only bridge into the worker's package (its {@code Launcher} is package-private and the server's tests must not
 * widen the worker's API): a {@link NodeAgent} with the real process launcher, which calls a hook after each process
 * has started and before the agent registers it. A hook that blocks holds the agent exactly between launch and
 * registration, the window in which the controller may cancel the copy.
 */
public final class LaunchHooks {
  private LaunchHooks() {}

  /** Runs on the agent's thread, after the process started and before its registration is sent. */
  @FunctionalInterface
  public interface AfterLaunch {
    void launched(AssignmentRecord assignment, long pid) throws InterruptedException;
  }

  /** An agent of real processes whose every launch passes through {@code hook}. */
  public static NodeAgent agent(CuratorFramework client, ZkLayout layout, AgentConfig config, AfterLaunch hook) {
    ProcessLauncher real = new ProcessLauncher(Clock.systemUTC());
    Launcher hooked = new Launcher() {
      @Override
      public CopyProcess launch(AssignmentRecord assignment, Path workingDir, Path logFile,
          Map<String, String> agentEnv) throws IOException {
        CopyProcess process = real.launch(assignment, workingDir, logFile, agentEnv);
        try {
          hook.launched(assignment, process.pid());
        } catch (InterruptedException e) {
          // The agent is closing: a copy it never learns of must not outlive it.
          process.kill();
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted in the launch hook");
        }
        return process;
      }

      @Override
      public LauncherMode mode() {
        return LauncherMode.PROCESS;
      }
    };
    return new NodeAgent(client, layout, config, hooked, Clock.systemUTC());
  }
}
