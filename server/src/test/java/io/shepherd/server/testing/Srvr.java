package io.shepherd.server.testing;

import java.io.IOException;
import java.util.Optional;
import org.apache.zookeeper.client.FourLetterWordMain;
import org.apache.zookeeper.common.X509Exception;

/**
 * A ZooKeeper server's answer to the {@code srvr} four-letter word (enabled by default): which version it runs, in
 * which mode, and how many znodes it holds.
 *
 * @param text the whole answer, as the server gave it
 */
public record Srvr(String text) {
  /** The answer of the server on 127.0.0.1:{@code port}, or empty while it does not answer. */
  public static Optional<Srvr> ask(int port) {
    try {
      String answer = FourLetterWordMain.send4LetterWord("127.0.0.1", port, "srvr", false, 2_000);
      return answer.contains("Zookeeper version:") ? Optional.of(new Srvr(answer)) : Optional.empty();
    } catch (IOException | X509Exception.SSLContextException notYet) {
      return Optional.empty();
    }
  }

  /** The version, e.g. {@code 3.8.0-...} or {@code 3.9.5-...}. */
  public String version() {
    return field("Zookeeper version");
  }

  /** {@code standalone}, {@code leader} or {@code follower}. */
  public String mode() {
    return field("Mode");
  }

  /** How many znodes the server holds. */
  public int nodeCount() {
    return Integer.parseInt(field("Node count"));
  }

  private String field(String name) {
    String prefix = name + ":";
    return text.lines().filter(l -> l.startsWith(prefix)).findFirst()
        .map(l -> l.substring(prefix.length()).strip())
        .orElseThrow(() -> new IllegalStateException("no '" + name + "' in srvr's answer: " + text));
  }
}
