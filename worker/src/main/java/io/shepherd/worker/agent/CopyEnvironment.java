package io.shepherd.worker.agent;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which of the agent's own environment variables a copy inherits: only those that say where programs and the
 * user's files are and how text is shown. Everything else stays with the agent, so that no credential of the
 * agent's or the cluster's (a {@code SHEPHERD_TOKEN} of the operator's, ZooKeeper credentials, cloud keys) ever
 * reaches a copy. A copy needing more names it in its spec's {@code env}. Pure.
 */
final class CopyEnvironment {
  /** Inherited by name. */
  static final Set<String> INHERITED = Set.of("PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR",
      "JAVA_HOME");
  /** Inherited by prefix: the locale's categories. */
  static final String LOCALE_PREFIX = "LC_";

  private CopyEnvironment() {}

  /** The part of {@code agentEnv} a copy inherits. */
  static Map<String, String> inherited(Map<String, String> agentEnv) {
    Map<String, String> kept = new TreeMap<>();
    agentEnv.forEach((name, value) -> {
      if (INHERITED.contains(name) || name.startsWith(LOCALE_PREFIX)) {
        kept.put(name, value);
      }
    });
    return kept;
  }
}
