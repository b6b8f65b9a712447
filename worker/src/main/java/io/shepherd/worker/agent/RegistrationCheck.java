package io.shepherd.worker.agent;

import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.AssignmentState;
import io.shepherd.worker.record.InstanceRecord;
import io.shepherd.worker.zk.ZkClients;
import io.shepherd.worker.zk.Znodes;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.ObjIntConsumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds out, by reading ZooKeeper, where a registration whose outcome is unknown stands (a connection loss, or a
 * retried transaction that failed because its first attempt had succeeded), and completes it. Agent thread only:
 * it blocks on ZooKeeper.
 */
final class RegistrationCheck {
  private static final Logger LOG = LoggerFactory.getLogger(RegistrationCheck.class);
  private final AgentContext ctx;
  private final InstanceWrites writes;
  private final StopScheduler stopper;
  private final ObjIntConsumer<Copy> sendRegistration;
  private final BiConsumer<Copy, Copy.Registration> settle;

  RegistrationCheck(AgentContext ctx, InstanceWrites writes, StopScheduler stopper,
      ObjIntConsumer<Copy> sendRegistration, BiConsumer<Copy, Copy.Registration> settle) {
    this.ctx = ctx;
    this.writes = writes;
    this.stopper = stopper;
    this.sendRegistration = sendRegistration;
    this.settle = settle;
  }

  void verify(Copy copy) {
    try {
      verifyOrThrow(copy);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("cannot check the registration of {}; checked again at the next resync", copy, e);
    }
  }

  private void verifyOrThrow(Copy copy) throws Exception {
    CuratorFramework client = ctx.client();
    String instance = writes.instancePath(copy);
    String assignment = writes.assignmentPath(copy.instanceId());
    long session = ZkClients.sessionId(client);
    Stat instanceStat = client.checkExists().forPath(instance);
    Stat assignmentStat = new Stat();
    byte[] data;
    try {
      data = client.getData().storingStatIn(assignmentStat).forPath(assignment);
    } catch (KeeperException.NoNodeException e) {
      if (instanceStat == null) {
        settle.accept(copy, Copy.Registration.REJECTED);
        stopper.killNow(copy, "late copy: its assignment is gone");
      } else {
        stopper.stop(copy, Duration.ofMillis(copy.assignment().stopGraceMs()), "assignment deleted");
      }
      return;
    }
    if (instanceStat != null && instanceStat.getEphemeralOwner() == session
        && instancePid(client, instance) == copy.process().pid()) {
      AssignmentRecord current = Znodes.ASSIGNMENT.decode(data);
      if (current.state() != AssignmentState.RUNNING || current.pid() != copy.process().pid()) {
        client.setData().withVersion(assignmentStat.getVersion())
            .forPath(assignment, Znodes.ASSIGNMENT.encode(copy.runningRecord()));
      }
      LOG.info("registration of {} confirmed", copy);
      settle.accept(copy, Copy.Registration.REGISTERED);
      return;
    }
    if (instanceStat != null) {
      // Created in an earlier session of this agent (ours by name, but it would vanish with that session), or by
      // this copy's previous process when the outcome of a restart in place was lost: replaced by this copy's.
      client.delete().withVersion(instanceStat.getVersion()).forPath(instance);
    }
    sendRegistration.accept(copy, assignmentStat.getVersion());
  }

  /** The pid the instance znode names; -1 if it is gone or unreadable. */
  private static long instancePid(CuratorFramework client, String instance) throws Exception {
    try {
      return Znodes.INSTANCE.decode(client.getData().forPath(instance)).pid();
    } catch (KeeperException.NoNodeException | java.io.UncheckedIOException e) {
      return -1;
    }
  }
}
