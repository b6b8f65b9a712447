package io.shepherd.worker.agent;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The common set-up of the agent ITs: a fresh {@link AgentTestKit} in a temporary directory, with the replica set
 * {@link AgentTestKit#RS} created, before each test; closed (every agent and process stopped) after it. A subclass's
 * own {@code @BeforeEach} runs after this one, its own {@code @AfterEach} before the kit closes.
 */
abstract class AgentKitBase {
  @TempDir
  Path tmp;
  AgentTestKit kit;

  @BeforeEach
  void openKit() throws Exception {
    kit = new AgentTestKit(tmp);
    kit.createReplicaSet(AgentTestKit.RS);
  }

  @AfterEach
  void closeKit() throws Exception {
    kit.close();
  }
}
