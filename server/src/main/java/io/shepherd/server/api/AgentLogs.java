package io.shepherd.server.api;

import jakarta.ws.rs.core.StreamingOutput;
import java.net.URI;

/** The logs an agent serves for the copies it runs. */
public interface AgentLogs {
  /**
   * Asks the agent at {@code uri} for a copy's log and returns the body to stream ({@code follow}: the agent keeps
   * sending what the copy writes). The agent's refusals become {@link ApiException}s (404, 400); an agent that
   * cannot be reached, does not answer in time or fails, a 503 naming {@code nodeId}.
   */
  StreamingOutput open(URI uri, String nodeId, boolean follow);
}
