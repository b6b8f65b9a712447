package io.shepherd.worker.agent;

import io.shepherd.worker.zk.ZkLayout;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;

/**
 * What the parts of one agent share. {@code agentThread} is the single thread on which assignments are decided
 * and new copies launched; {@code exitThread} handles exits, one at a time ({@link ExitExecutor}: on the thread that
 * saw the exit when it can), so that they never wait behind the agent thread's work, and starts again at once the
 * copies restarted in place.
 */
record AgentContext(
    CuratorFramework client,
    ZkLayout layout,
    AgentConfig config,
    Launcher launcher,
    LogFiles logs,
    RunRecords runRecords,
    Clock clock,
    Executor agentThread,
    Executor exitThread,
    Supplier<Optional<Epoch>> epochSource,
    BooleanSupplier readySource,
    AgentMetrics metrics) {

  /** The controller epoch, empty while unknown. */
  Optional<Epoch> epoch() {
    return epochSource.get();
  }

  /** Connected, and the node is registered in the current session: only then may copies start. */
  boolean connected() {
    return readySource.getAsBoolean();
  }
}
