package io.shepherd.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A copy's output: bounded on disk, and served by the agent's log server. */
class NodeAgentLogsIT extends AgentKitBase {
  private static final String NODE = "n1";
  private static final long MAX = 64 * 1024;
  /** About 600 KiB of numbered lines, a pause for the rotation to catch up, a last word, then quiet. */
  private static final List<String> CHATTY = List.of("sh", "-c",
      "i=0; while [ $i -lt 20000 ]; do echo \"line $i of a chatty copy\"; i=$((i+1)); done; sleep 1; echo done;"
          + " sleep 300");

  @Test
  void logRotationCapsTheFileAndTheCopyKeepsWritingFromItsStart() throws Exception {
    kit.start(kit.config(NODE).logMaxBytes(MAX).build());
    Path live = kit.dataDir.resolve(NODE).resolve("logs/chatty.log");
    Path rotated = kit.dataDir.resolve(NODE).resolve("logs/chatty.log.1");

    kit.assign(NODE, "chatty", CHATTY);
    kit.awaitRegistered(NODE, "chatty");

    await().until(() -> lastLine(live).equals("done"));
    await().until(() -> Files.size(live) <= MAX);
    assertThat(Files.size(rotated)).isPositive();
    // O_APPEND: after each truncation the copy wrote at the new end, not at its old offset behind a hole of zeros.
    assertThat(Files.readAllBytes(live)[0]).isIn((byte) 'l', (byte) 'd');
  }

  @Test
  void theLogServerOfTheNodeTailsACopysLog() throws Exception {
    NodeAgent agent = kit.start(kit.config(NODE).build());
    kit.assign(NODE, "i1", List.of("sh", "-c", "echo one; echo two; echo three; sleep 300"));
    kit.awaitRegistered(NODE, "i1");
    HttpClient http = HttpClient.newHttpClient();
    URI uri = URI.create(agent.logsUrl().orElseThrow() + "/i1?tail=2");

    await().until(() -> http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
        .body().equals("two\nthree\n"));
  }

  private static String lastLine(Path file) throws Exception {
    if (!Files.exists(file)) {
      return "";
    }
    List<String> lines = Files.readAllLines(file);
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }
}
