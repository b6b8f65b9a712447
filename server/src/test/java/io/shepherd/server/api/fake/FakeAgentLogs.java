package io.shepherd.server.api.fake;

import io.shepherd.server.api.AgentLogs;
import io.shepherd.server.api.ApiException;
import jakarta.ws.rs.core.StreamingOutput;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An agent's log server: answers every request with the same finished log, or with a refusal, and remembers the
 * URIs it was asked for. A finished log is a stream the agent already ended (what following shows is left to the
 * ITs, which run a real agent).
 */
public final class FakeAgentLogs implements AgentLogs {
  private final List<URI> asked = new ArrayList<>();
  private String log = "";
  private Optional<ApiException> refusal = Optional.empty();

  public synchronized void answer(String text) {
    log = text;
    refusal = Optional.empty();
  }

  /** The agent refuses (404, 400) or cannot be reached (503), as {@code LogProxy} reports it. */
  public synchronized void refuse(ApiException e) {
    refusal = Optional.of(e);
  }

  public synchronized List<URI> asked() {
    return List.copyOf(asked);
  }

  @Override
  public synchronized StreamingOutput open(URI uri, String nodeId, boolean follow) {
    asked.add(uri);
    if (refusal.isPresent()) {
      throw refusal.get();
    }
    byte[] body = log.getBytes(StandardCharsets.UTF_8);
    return out -> out.write(body);
  }
}
