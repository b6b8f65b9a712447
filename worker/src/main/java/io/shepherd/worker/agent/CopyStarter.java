package io.shepherd.worker.agent;

import io.shepherd.worker.record.AssignmentRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a copy's process and writes its run record: its ports checked, its working and log directories made, its
 * config file written, the local API's URL and its token added to its environment, then the launcher. Keeps no state
 * of its own; called on the agent thread for a new copy, and on the thread that handles an exit for a copy restarted
 * in place at once.
 */
final class CopyStarter {
  private static final Logger LOG = LoggerFactory.getLogger(CopyStarter.class);
  private final AgentContext ctx;
  private final LocalApi localApi;
  private final Supplier<Optional<String>> localApiUrl;
  private final ConfigFiles configFiles;

  /**
   * @param localApi    the copy-facing local API: a copy gets its URL and a token when it is served, and its set's
   *                    values are watched from its first start on
   * @param localApiUrl the URL copies reach it at, once its server runs; empty when none is served
   * @param configFiles where a copy's config file is written before it starts
   */
  CopyStarter(AgentContext ctx, LocalApi localApi, Supplier<Optional<String>> localApiUrl, ConfigFiles configFiles) {
    this.ctx = ctx;
    this.localApi = localApi;
    this.localApiUrl = localApiUrl;
    this.configFiles = configFiles;
  }

  /** Where the copy runs: the directory its spec names, else its own under the agent's root. */
  static Path workingDirOf(AgentConfig config, AssignmentRecord a) {
    return a.workingDir().map(Path::of).orElse(config.workingDirsRoot().resolve(a.instanceId()));
  }

  /** Starts the copy's process, or reports why it cannot be started to {@code cannot}. */
  Optional<CopyProcess> start(AssignmentRecord a, Consumer<String> cannot) {
    String id = a.instanceId();
    if (ctx.launcher().mode() == LauncherMode.PROCESS) {
      // A copy whose port is taken would only crash; its failure names the port, and its replacement gets another.
      Optional<String> taken = CopyPorts.unavailable(a, CopyPorts::bindable);
      if (taken.isPresent()) {
        LOG.warn("cannot start {} of {}: {}", id, a.replicaSet(), taken.get());
        cannot.accept(taken.get());
        return Optional.empty();
      }
    }
    try {
      Path workingDir = workingDirOf(ctx.config(), a);
      if (a.workingDir().isEmpty()) {
        ensureDirectory(workingDir);
      }
      Path log = ctx.logs().liveOf(id);
      ensureDirectory(log.getParent());
      Map<String, String> agentEnv = agentEnvironmentOf(a);
      configFiles.prepare(a);
      return Optional.of(ctx.launcher().launch(a, workingDir, log, agentEnv));
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot start {} of {}: {}", id, a.replicaSet(), e.toString());
      cannot.accept("cannot start: " + e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Writes the run record of the copy of {@code a} that {@code process} runs: before anything is registered, since a
   * copy ZooKeeper knows of must be one the agent's next run can find, should this one die.
   */
  void writeRunRecord(AssignmentRecord a, CopyProcess process) throws IOException {
    ctx.runRecords().write(new RunRecord(a.instanceId(), a.replicaSet(), process.pid(), process.osStartInstant(),
        a.stopGraceMs(), ctx.launcher().mode()));
  }

  /** The local API's URL and the copy's token (the same for all its restarts in place); nothing without the API. */
  private Map<String, String> agentEnvironmentOf(AssignmentRecord a) {
    localApi.watch(a.replicaSet());
    Optional<String> url = localApiUrl.get();
    return url.isEmpty() ? Map.of() : localApi.environmentOf(a.instanceId(), url.get());
  }

  /** Creates {@code dir} if it is not one (one stat when it is: createDirectories throws and catches then). */
  private static void ensureDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
    }
  }
}
