package io.shepherd.worker.agent;

import static io.shepherd.worker.agent.AgentTestKit.RS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.ConfigFile;
import io.shepherd.worker.record.LocalRestartPolicy;
import io.shepherd.worker.record.OnPartition;
import io.shepherd.worker.record.Probes;
import io.shepherd.worker.record.RecordCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A copy's config file, kept by its agent, with real python3 copies, and each change policy. */
class ConfigFileIT extends AgentKitBase {
  private static final String NODE = "n1";
  /**
   * Copies its config file ("app.json" in its working directory) to argv[1] when it starts and on SIGHUP, atomically,
   * then idles.
   */
  private static final String COPY_ON_START_AND_HUP = "import os, shutil, signal, sys, time\n"
      + "def copy(*_):\n"
      + "    shutil.copyfile('app.json', sys.argv[1] + '.tmp')\n"
      + "    os.rename(sys.argv[1] + '.tmp', sys.argv[1])\n"
      + "signal.signal(signal.SIGHUP, copy)\n"
      + "copy()\n"
      + "while True: time.sleep(600)\n";
  private static final LocalRestartPolicy RESTARTS = new LocalRestartPolicy(5, 600_000L, 0L, 1_000L, 1_000L, 10_000L);

  @BeforeEach
  void startAgent() throws Exception {
    kit.start(kit.config(NODE).build());
  }

  @Test
  void theFileHoldsTheValuesBeforeTheCopyStartsAndIsRewrittenInPlaceWithoutTouchingTheCopy() throws Exception {
    setConfig("colour", "red");
    long pid = start("i1", new ConfigFile("app.json", "json", "none"));
    Path file = tmp.resolve(NODE).resolve("instances").resolve("i1").resolve("app.json");

    assertThat(Files.readString(seen("i1"))).isEqualTo("{\"colour\":\"red\"}\n");
    assertThat(Files.getPosixFilePermissions(file)).containsOnly(PosixFilePermission.OWNER_READ,
        PosixFilePermission.OWNER_WRITE);

    setConfig("colour", "#ccc");

    await().until(() -> Files.readString(file).equals("{\"colour\":\"#ccc\"}\n"));
    assertThat(kit.assignment(NODE, "i1").orElseThrow().pid()).isEqualTo(pid);
    assertThat(kit.assignment(NODE, "i1").orElseThrow().restarts()).isZero();
    assertThat(Files.readString(seen("i1"))).as("what the copy read at its start").contains("red");
  }

  @Test
  void signalHupTellsTheCopyAfterTheFileIsRewritten() throws Exception {
    setConfig("colour", "red");
    long pid = start("i1", new ConfigFile("app.json", "json", "signal:HUP"));

    setConfig("colour", "blue");

    await().until(() -> Files.readString(seen("i1")).contains("blue"));
    assertThat(kit.assignment(NODE, "i1").orElseThrow().pid()).isEqualTo(pid);
  }

  @Test
  void restartLeavesTheCopiesRunningAndOnlyRewritesTheirFilesForTheServerRollsTheRestart() throws Exception {
    setConfig("colour", "red");
    long one = start("i1", new ConfigFile("app.json", "json", "restart"));
    long two = start("i2", new ConfigFile("app.json", "json", "restart"));

    setConfig("colour", "green");
    await().until(() -> file("i1").contains("green") && file("i2").contains("green"));
    setConfig("colour", "blue"); // a second pass over the set: whatever the first did to the copies has been done
    await().until(() -> file("i1").contains("blue") && file("i2").contains("blue"));

    assertThat(List.of(pid("i1"), pid("i2"))).containsExactly(one, two);
    assertThat(List.of(restarts("i1"), restarts("i2"))).containsOnly(0);
    assertThat(ProcessHandle.of(one).map(ProcessHandle::isAlive)).contains(true);
    assertThat(ProcessHandle.of(two).map(ProcessHandle::isAlive)).contains(true);
    assertThat(Files.readString(seen("i1"))).as("what the copy read at its start").contains("red");
    assertThat(Files.readString(seen("i2"))).as("what the copy read at its start").contains("red");
  }

  private String file(String id) throws Exception {
    return Files.readString(tmp.resolve(NODE).resolve("instances").resolve(id).resolve("app.json"));
  }

  private long pid(String id) throws Exception {
    return kit.assignment(NODE, id).orElseThrow().pid();
  }

  private int restarts(String id) throws Exception {
    return kit.assignment(NODE, id).orElseThrow().restarts();
  }

  private long start(String id, ConfigFile file) throws Exception {
    AssignmentRecord a = AssignmentRecord.assigned(id, RS, NODE, List.of("python3", "-c", COPY_ON_START_AND_HUP,
            seen(id).toString()), Map.of(), Optional.empty(), 10_000, OnPartition.KEEP_RUNNING, 1, 0, Instant.now())
        .withRestartPolicy(RESTARTS).withConfigFile(Optional.of(file)).withProbes(Probes.NONE);
    kit.controller.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT)
        .forPath(kit.layout.assignment(NODE, id), RecordCodec.write(a));
    ProcessHandle p = kit.awaitRegistered(NODE, id);
    await().until(() -> Files.exists(seen(id)));
    return p.pid();
  }

  private Path seen(String id) {
    return tmp.resolve(id + ".seen.json");
  }

  private void setConfig(String key, String value) throws Exception {
    kit.controller.create().orSetData().creatingParentContainersIfNeeded()
        .forPath(kit.layout.configValue(RS, key), value.getBytes(StandardCharsets.UTF_8));
  }
}
