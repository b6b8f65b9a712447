package io.shepherd.worker.agent;

import static io.shepherd.worker.agent.AgentTestKit.RS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.AssignmentState;
import io.shepherd.worker.record.ConfigFile;
import io.shepherd.worker.record.InstanceRecord;
import io.shepherd.worker.record.LocalRestartPolicy;
import io.shepherd.worker.record.OnPartition;
import io.shepherd.worker.record.ProbeRecord;
import io.shepherd.worker.record.Probes;
import io.shepherd.worker.record.RecordCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
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
  void restartRestartsEachCopyInPlaceWhichThenStartsWithTheNewValues() throws Exception {
    setConfig("colour", "red");
    long one = start("i1", new ConfigFile("app.json", "json", "restart"));
    long two = start("i2", new ConfigFile("app.json", "json", "restart"));

    setConfig("colour", "green");

    await().until(() -> Files.readString(seen("i1")).contains("green") && Files.readString(seen("i2"))
        .contains("green"));
    await().until(() -> running("i1") && running("i2"));
    AssignmentRecord a1 = kit.assignment(NODE, "i1").orElseThrow();
    AssignmentRecord a2 = kit.assignment(NODE, "i2").orElseThrow();
    assertThat(a1.pid()).isNotEqualTo(one);
    assertThat(a2.pid()).isNotEqualTo(two);
    assertThat(List.of(a1.restarts(), a2.restarts())).containsOnly(1);
    kit.track(a1.pid());
    kit.track(a2.pid());
  }

  @Test
  void restartsForAChangeGoOneCopyAtATimeTheNextOnceTheRestartedOneIsReady() throws Exception {
    Path readyFlag = tmp.resolve("ready-flag");
    Files.createFile(readyFlag);
    Probes readiness = new Probes(null, null, new ProbeRecord(
        new ProbeRecord.Exec(List.of("test", "-f", readyFlag.toString())), null, null, 0, 100, 1_000, 1, 1));
    setConfig("colour", "red");
    start("i1", new ConfigFile("app.json", "json", "restart"), readiness);
    start("i2", new ConfigFile("app.json", "json", "restart"), readiness);
    await().until(() -> ready("i1") && ready("i2"));
    Files.delete(readyFlag); // from now on no copy becomes ready (again)

    setConfig("colour", "green");

    await().until(() -> restarts("i1") + restarts("i2") == 1);
    String first = restarts("i1") == 1 ? "i1" : "i2";
    String second = first.equals("i1") ? "i2" : "i1";
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
        .until(() -> restarts(second) == 0 && !ready(first));
    assertThat(Files.readString(seen(second))).as("still what it started with").contains("red");

    Files.createFile(readyFlag);

    await().until(() -> restarts(second) == 1 && Files.readString(seen(second)).contains("green"));
    kit.track(kit.assignment(NODE, "i1").orElseThrow().pid());
    kit.track(kit.assignment(NODE, "i2").orElseThrow().pid());
  }

  private int restarts(String id) throws Exception {
    return kit.assignment(NODE, id).orElseThrow().restarts();
  }

  private boolean ready(String id) throws Exception {
    return kit.instance(id).isPresent() && RecordCodec.read(
        kit.controller.getData().forPath(kit.layout.instance(RS, id)), InstanceRecord.class).ready();
  }

  private boolean running(String id) throws Exception {
    return kit.assignment(NODE, id).map(a -> a.state() == AssignmentState.RUNNING).orElse(false)
        && kit.instance(id).isPresent();
  }

  private long start(String id, ConfigFile file) throws Exception {
    return start(id, file, Probes.NONE);
  }

  private long start(String id, ConfigFile file, Probes probes) throws Exception {
    AssignmentRecord a = AssignmentRecord.assigned(id, RS, NODE, List.of("python3", "-c", COPY_ON_START_AND_HUP,
            seen(id).toString()), Map.of(), Optional.empty(), 10_000, OnPartition.KEEP_RUNNING, 1, 0, Instant.now())
        .withRestartPolicy(RESTARTS).withConfigFile(Optional.of(file)).withProbes(probes);
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
