package io.shepherd.server.api;

import java.net.URI;
import org.glassfish.jersey.server.ChunkedOutput;

/** The logs an agent serves for the copies it runs. */
public interface AgentLogs {
  /**
   * Asks the agent at {@code uri} for a copy's log and returns the body to stream. The agent's refusals become
   * {@link ApiException}s (404, 400); an agent that cannot be reached or fails, a 503 naming {@code nodeId}.
   */
  ChunkedOutput<byte[]> open(URI uri, String nodeId);
}
