package io.shepherd.worker.agent;

import io.shepherd.worker.record.AssignmentRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The launcher of {@link LauncherMode#REGISTER_ONLY}: copies without processes, for load tests. */
final class RegisterOnlyLauncher implements Launcher {
  private final Clock clock;

  RegisterOnlyLauncher(Clock clock) {
    this.clock = clock;
  }

  @Override
  public CopyProcess launch(AssignmentRecord assignment, Path workingDir, Path logFile, Map<String, String> agentEnv)
      throws IOException {
    Files.writeString(logFile, "register-only copy of " + assignment.command() + ": no process was started\n",
        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    return new Phantom(clock.instant());
  }

  @Override
  public LauncherMode mode() {
    return LauncherMode.REGISTER_ONLY;
  }

  private static final class Phantom implements CopyProcess {
    private final Instant startedAt;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    Phantom(Instant startedAt) {
      this.startedAt = startedAt;
    }

    @Override
    public long pid() {
      return ProcessHandle.current().pid();
    }

    @Override
    public Instant startedAt() {
      return startedAt;
    }

    @Override
    public Optional<Instant> osStartInstant() {
      return Optional.empty();
    }

    @Override
    public CompletableFuture<Integer> onExit() {
      return exit;
    }

    @Override
    public void terminate() {
      exit.complete(ExitCodes.exitValueOfSignal(ExitCodes.SIGTERM));
    }

    @Override
    public void kill() {
      exit.complete(ExitCodes.exitValueOfSignal(ExitCodes.SIGKILL));
    }

    @Override
    public boolean isAlive() {
      return !exit.isDone();
    }

    @Override
    public CompletableFuture<Void> onTreeExit() {
      return exit.thenApply(code -> null);
    }
  }
}
