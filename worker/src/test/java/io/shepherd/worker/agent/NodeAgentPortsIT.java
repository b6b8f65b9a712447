package io.shepherd.worker.agent;

import static io.shepherd.worker.agent.AgentTestKit.RS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.AssignmentState;
import io.shepherd.worker.record.InstanceRecord;
import io.shepherd.worker.record.NodeRecord;
import io.shepherd.worker.record.PortRange;
import io.shepherd.worker.record.RecordCodec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A copy's ports on the agent, with real processes: placeholders, environment, a port taken by someone else. */
class NodeAgentPortsIT extends AgentKitBase {
  private static final String NODE = "n1";

  @Test
  void theNodePublishesItsPortRange() throws Exception {
    kit.start(kit.config(NODE).ports(new PortRange(41_000, 41_099)).build());
    await().until(() -> kit.controller.checkExists().forPath(kit.layout.node(NODE)) != null);

    NodeRecord node = RecordCodec.read(kit.controller.getData().forPath(kit.layout.node(NODE)), NodeRecord.class);

    assertThat(node.ports()).contains(new PortRange(41_000, 41_099));
  }

  @Test
  void portsReplaceThePlaceholdersInTheArgvAndAreInTheEnvironment() throws Exception {
    kit.start(kit.config(NODE).build());
    Path out = tmp.resolve("seen.txt");
    int http = freePort();
    int admin = freePort();
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("http", http);
    ports.put("admin-ui", admin);
    // The script reads the environment itself; the agent replaces only the placeholders in the arguments after it.
    String script = "printf '%s|%s|%s|%s|%s|%s\\n' \"$1\" \"$2\" \"$3\" \"$PORT\" \"$PORT_HTTP\" \"$PORT_ADMIN_UI\" > \"$0.tmp\""
        + " && mv \"$0.tmp\" \"$0\"; exec sleep 300";

    kit.assign(NODE, "i1", List.of("sh", "-c", script, out.toString(), "${PORT}", "--admin=${PORT_ADMIN_UI}",
        "${PORT_NONE} stays"), ports);

    kit.awaitRegistered(NODE, "i1");
    await().until(() -> Files.exists(out));
    assertThat(Files.readString(out, StandardCharsets.UTF_8).strip()).isEqualTo(
        http + "|--admin=" + admin + "|${PORT_NONE} stays|" + http + "|" + http + "|" + admin);
    InstanceRecord instance = RecordCodec.read(kit.controller.getData().forPath(kit.layout.instance(RS, "i1")),
        InstanceRecord.class);
    assertThat(instance.ports()).isEqualTo(Map.of("http", http, "admin-ui", admin));
    assertThat(kit.assignment(NODE, "i1").orElseThrow().ports()).containsExactlyEntriesOf(ports);
  }

  @Test
  void aPortTakenByAnotherProcessIsALaunchFailureNamingThePort() throws Exception {
    kit.start(kit.config(NODE).build());
    Path out = tmp.resolve("started.txt");
    try (ServerSocket foreign = new ServerSocket()) {
      foreign.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int taken = foreign.getLocalPort();

      kit.assign(NODE, "i1", List.of("sh", "-c", "touch \"$0\"; exec sleep 300", out.toString()),
          Map.of("http", taken));

      await().until(() -> kit.assignment(NODE, "i1").orElseThrow().state() == AssignmentState.EXITED);
      AssignmentRecord a = kit.assignment(NODE, "i1").orElseThrow();
      assertThat(a.reason()).contains("port " + taken + " (http) is in use by another process");
      assertThat(a.endedByAgent()).as("the copy's own failure: it counts toward its backoff").isFalse();
      assertThat(a.pid()).as("no process was started").isZero();
      assertThat(kit.instance("i1")).isEmpty();
      assertThat(out).doesNotExist();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return s.getLocalPort();
    }
  }
}
