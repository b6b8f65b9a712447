package io.shepherd.worker.agent;

import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.ConfigFile;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.Znodes;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the config files of this node's copies (the spec's {@code configFile}) filled with their sets' configuration
 * values, and applies each file's change policy ({@link ConfigFileChange}). A file is written before its copy is
 * started (from a fresh read of ZooKeeper), and again when the values change, atomically (a temporary file renamed
 * over it), readable by the agent's user only.
 *
 * <p>The agent restarts no copy for a change: with {@code onChange: restart} the server rolls a restart of the whole
 * set within its rollout bounds, and the agent only keeps the files current meanwhile. Agent thread only, but
 * {@link #read}, which the launch calls there as well.
 */
final class ConfigFiles {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigFiles.class);
  private static final Duration SIGNAL_TIMEOUT = Duration.ofSeconds(5);

  private final CuratorFramework client;
  private final ZkLayout layout;
  private final Function<AssignmentRecord, Path> workingDirOf;
  private final boolean realProcesses;
  private final Map<String, byte[]> written = new HashMap<>();

  ConfigFiles(CuratorFramework client, ZkLayout layout, Function<AssignmentRecord, Path> workingDirOf,
      boolean realProcesses) {
    this.client = client;
    this.layout = layout;
    this.workingDirOf = workingDirOf;
    this.realProcesses = realProcesses;
  }

  /** Writes the copy's file, if it has one, with the values read now; before its process starts. */
  void prepare(AssignmentRecord a) throws IOException {
    if (a.configFile().isEmpty()) {
      return;
    }
    write(a, ConfigFileRender.render(read(a.replicaSet()), a.configFile().get().format()));
  }

  /** The set's values changed (or may have): every copy of it here with a file is looked at. */
  void changed(String replicaSet, Map<String, String> values, Iterable<Copy> copies) {
    for (Copy c : copies) {
      AssignmentRecord a = c.assignment();
      if (!a.replicaSet().equals(replicaSet) || a.configFile().isEmpty() || c.isStopping() || c.hasExited()
          || c.registration() != Copy.Registration.REGISTERED) {
        continue;
      }
      ConfigFile file = a.configFile().get();
      byte[] content = ConfigFileRender.render(values, file.format());
      boolean differs = !Arrays.equals(content, written.get(a.instanceId()));
      ConfigFileChange.Action action = ConfigFileChange.decide(file, differs);
      try {
        if (action instanceof ConfigFileChange.Write) {
          write(a, content);
          LOG.info("{}: configuration values rewritten to {}", c, file.path());
        } else if (action instanceof ConfigFileChange.Signal signal) {
          write(a, content);
          signal(c, signal.name());
        }
      } catch (IOException e) {
        LOG.warn("{}: cannot write its config file {}; trying again at the next change or resync", c, file.path(), e);
      }
    }
  }

  /** The copy ended for good. */
  void forget(String instanceId) {
    written.remove(instanceId);
  }

  /** The configuration values of a set as ZooKeeper has them now. */
  Map<String, String> read(String replicaSet) throws IOException {
    String dir = layout.configOf(replicaSet);
    Map<String, String> values = new TreeMap<>();
    try {
      for (String key : client.getChildren().forPath(dir)) {
        try {
          byte[] data = client.getData().forPath(dir + "/" + key);
          values.put(key, Znodes.CONFIG_VALUE.decode(data));
        } catch (KeeperException.NoNodeException e) {
          // deleted meanwhile
        }
      }
    } catch (KeeperException.NoNodeException e) {
      return values;
    } catch (Exception e) {
      throw new IOException("cannot read the configuration values of " + replicaSet + ": " + e.getMessage(), e);
    }
    return values;
  }

  private void write(AssignmentRecord a, byte[] content) throws IOException {
    Path dir = workingDirOf.apply(a).toAbsolutePath().normalize();
    Path file = dir.resolve(a.configFile().get().path()).normalize();
    if (!file.startsWith(dir) || file.equals(dir)) {
      // The server refuses such a path; an assignment written by other means must not escape the directory either.
      throw new IOException("config file path leaves the working directory: " + a.configFile().get().path());
    }
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling("." + file.getFileName() + ".shepherd-tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(tmp, content);
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    written.put(a.instanceId(), content);
  }

  private void signal(Copy c, String name) throws IOException {
    if (!realProcesses) {
      return;
    }
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(c.process().pid()))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      if (!kill.waitFor(SIGNAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
        kill.destroyForcibly();
        LOG.warn("{}: could not send SIG{} for its changed configuration values", c, name);
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    LOG.info("{}: configuration values changed; sent SIG{}", c, name);
  }
}
