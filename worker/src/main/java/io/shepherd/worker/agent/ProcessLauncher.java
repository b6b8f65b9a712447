package io.shepherd.worker.agent;

import io.shepherd.worker.embed.WorkerIdentity;
import io.shepherd.worker.record.AssignmentRecord;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Starts each copy as a child process from its argv, never through a shell: stdin from /dev/null, stdout and
 * stderr appended (O_APPEND, so the log can be truncated under the child) to one file. Files, never pipes: pipes
 * need a reader thread and two descriptors per child and hit the descriptor limit at a few thousand children. The
 * copy's ports replace {@code ${PORT}} and {@code ${PORT_<NAME>}} in the argv and are in its environment
 * ({@link CopyPorts}). The copy's environment is built, not inherited: the few variables of the agent's own that
 * {@link CopyEnvironment} lets through, then the spec's, the ports, the copy's identity, and last the agent's
 * (the local API's URL and the copy's token), which a spec cannot override.
 */
final class ProcessLauncher implements Launcher {
  private static final File DEV_NULL = new File("/dev/null");
  private final Clock clock;
  /** The agent's own variables that copies get: its environment does not change, so they are chosen once. */
  private final Map<String, String> inherited = CopyEnvironment.inherited(System.getenv());

  ProcessLauncher(Clock clock) {
    this.clock = clock;
  }

  @Override
  public CopyProcess launch(AssignmentRecord assignment, Path workingDir, Path logFile, Map<String, String> agentEnv)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(CopyPorts.argv(assignment.command(), assignment.ports()))
        .directory(workingDir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    builder.environment().clear();
    builder.environment().putAll(inherited);
    builder.environment().putAll(assignment.env());
    builder.environment().putAll(CopyPorts.environment(assignment.ports()));
    builder.environment().putAll(WorkerIdentity.of(assignment).toEnvironment());
    builder.environment().putAll(agentEnv);
    Process process = builder.start();
    return new ChildProcess(process, clock.instant());
  }

  @Override
  public LauncherMode mode() {
    return LauncherMode.PROCESS;
  }

  private static final class ChildProcess implements CopyProcess {
    private final Process process;
    private final Optional<Instant> osStart;
    private final Instant startedAt;
    private final Set<ProcessHandle> descendants = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Integer> exit;

    ChildProcess(Process process, Instant launchedAt) {
      this.process = process;
      this.osStart = process.toHandle().info().startInstant();
      this.startedAt = osStart.orElse(launchedAt);
      // Completes on the process's own watcher, which the JDK's reaper wakes; callers attach their own executor.
      this.exit = ExitWatcher.watch(process);
    }

    @Override
    public long pid() {
      return process.pid();
    }

    @Override
    public Instant startedAt() {
      return startedAt;
    }

    @Override
    public Optional<Instant> osStartInstant() {
      return osStart;
    }

    @Override
    public CompletableFuture<Integer> onExit() {
      return exit;
    }

    @Override
    public void terminate() {
      rememberDescendants();
      process.destroy();
      // A stopped copy acts on its SIGTERM only once it runs again.
      if (process.isAlive()) {
        ProcessState.resumeIfStopped(process.pid());
      }
    }

    @Override
    public void kill() {
      rememberDescendants();
      process.destroyForcibly();
      // ProcessHandle checks the start time before signalling, so a reused pid is never hit.
      descendants.forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public boolean isAlive() {
      return process.isAlive();
    }

    @Override
    public CompletableFuture<Void> onTreeExit() {
      return CompletableFuture.allOf(Stream.concat(Stream.of(process.toHandle()), descendants.stream())
          .map(ProcessHandle::onExit).toArray(CompletableFuture[]::new));
    }

    private void rememberDescendants() {
      if (process.isAlive()) {
        process.descendants().forEach(descendants::add);
      }
    }
  }
}
