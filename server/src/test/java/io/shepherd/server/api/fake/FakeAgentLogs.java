package io.shepherd.server.api.fake;

import io.shepherd.server.api.AgentLogs;
import io.shepherd.server.api.ApiException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.glassfish.jersey.server.ChunkedOutput;

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
  public synchronized ChunkedOutput<byte[]> open(URI uri, String nodeId) {
    asked.add(uri);
    if (refusal.isPresent()) {
      throw refusal.get();
    }
    ChunkedOutput<byte[]> output = new ChunkedOutput<>(byte[].class);
    try {
      output.write(log.getBytes(StandardCharsets.UTF_8));
      output.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return output;
  }
}
