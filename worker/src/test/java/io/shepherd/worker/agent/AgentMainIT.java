package io.shepherd.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.worker.AgentMain;
import io.shepherd.worker.record.AssignmentState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The agent as its own JVM: {@code AgentMain agent <config.yml>}. */
class AgentMainIT extends AgentKitBase {
  private static final String NODE = "n1";

  private final List<Process> jvms = new ArrayList<>();

  @AfterEach
  void stopJvms() {
    for (Process jvm : jvms) {
      jvm.descendants().forEach(ProcessHandle::destroyForcibly);
      jvm.destroyForcibly();
    }
  }

  @Test
  void aBadConfigurationStopsTheAgentWithOneLineNamingTheFieldAndExitCode2() throws Exception {
    Path config = Files.writeString(tmp.resolve("agent.yml"),
        "zookeeper: {connect: '127.0.0.1:1'}\nagent: {dataDir: d, capacity: many}\n");
    Path err = tmp.resolve("stderr");

    Process jvm = agentJvm(config, err);

    assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(jvm.exitValue()).isEqualTo(2);
    assertThat(Files.readAllLines(err)).singleElement().asString()
        .startsWith("bad configuration: agent.capacity: must be a whole number");
  }

  @Test
  void anAgentKilledWithSigkillLeavesItsCopiesToItsNextRunWhichStopsThem() throws Exception {
    Path config = Files.writeString(tmp.resolve("agent.yml"), String.join("\n",
        "zookeeper: {connect: '" + kit.server.getConnectString() + "', sessionTimeoutMs: 9000,",
        "  auth: {user: " + AgentTestKit.AGENT.user() + ", passwordEnv: KIT_AGENT_PASSWORD},",
        "  acl: {servers: ['digest:" + AgentTestKit.SERVER.id().getId() + "']}}",
        "agent:",
        "  nodeId: " + NODE,
        "  dataDir: " + kit.dataDir.resolve(NODE),
        "  logs: {port: 0}",
        ""));
    Process jvm = agentJvm(config, tmp.resolve("stderr"));
    kit.assign(NODE, "i1", List.of("sleep", "300"));
    ProcessHandle copy = kit.awaitRegistered(NODE, "i1");
    await().until(() -> read(tmp.resolve("stdout")).contains("AgentMain - agent " + NODE + " running"));
    assertThat(read(tmp.resolve("stdout")).lines())
        .as("the agent's own logging (its pattern, INFO and up), not a default that logs every DEBUG line")
        .allMatch(line -> !line.contains(" DEBUG "))
        .anyMatch(line -> line.matches(
            "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} INFO  \\[main\\] AgentMain - agent " + NODE + " running .*"));

    jvm.destroyForcibly();
    assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(copy.isAlive()).isTrue();
    NodeAgent next = kit.start(kit.config(NODE).build());

    await().until(() -> !copy.isAlive());
    await().until(() -> kit.assignment(NODE, "i1").orElseThrow().state() == AssignmentState.EXITED);
    assertThat(kit.assignment(NODE, "i1").orElseThrow().reason()).contains("agent restarted");
    assertThat(kit.instance("i1")).isEmpty();
    await().until(() -> next.registeredSession().isPresent());
    assertThat(kit.controller.checkExists().forPath(kit.layout.node(NODE)).getEphemeralOwner())
        .isEqualTo(next.registeredSession().getAsLong());
  }

  private Process agentJvm(Path config, Path stderr) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        AgentMain.class.getName(), "agent", config.toString());
    builder.environment().put("KIT_AGENT_PASSWORD", "kit-agent-secret");
    Process jvm = builder
        .redirectOutput(tmp.resolve("stdout").toFile())
        .redirectError(stderr.toFile())
        .start();
    jvms.add(jvm);
    return jvm;
  }

  static String read(Path p) throws Exception {
    return Files.readString(p, StandardCharsets.UTF_8);
  }
}
