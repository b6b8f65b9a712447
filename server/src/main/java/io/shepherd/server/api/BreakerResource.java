package io.shepherd.server.api;

import io.shepherd.api.BreakerStatus;
import io.shepherd.server.state.BreakerState;
import io.shepherd.server.state.ClusterView;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkLayout;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/** {@code /api/v1/breaker}: see the mass-loss breaker, and close it by hand once an operator is sure. */
@Path("/api/v1/breaker")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class BreakerResource {
  private final CuratorFramework client;
  private final ZkLayout layout;
  private final ClusterView view;
  private final Clock clock;

  public BreakerResource(CuratorFramework client, ZkLayout layout, ClusterView view, Clock clock) {
    this.client = client;
    this.layout = layout;
    this.view = view;
    this.clock = clock;
  }

  /** The body of a reset: only {@code {"open": false}} is accepted; opening is the controller's decision. */
  public record BreakerChange(Boolean open) {}

  @GET
  public BreakerStatus get() {
    return status(view.breaker());
  }

  @PUT
  public BreakerStatus reset(BreakerChange change) throws Exception {
    if (change == null || change.open() == null) {
      throw ApiException.badRequest("request body is required: {\"open\": false}");
    }
    if (change.open()) {
      throw ApiException.invalid("open", "can only be set to false: the controller opens the breaker itself");
    }
    BreakerState closed = BreakerState.closed(clock.instant(), "reset by an operator");
    byte[] data = RecordCodec.write(closed);
    try {
      client.setData().forPath(layout.breaker(), data);
    } catch (KeeperException.NoNodeException e) {
      try {
        client.create().forPath(layout.breaker(), data);
      } catch (KeeperException.NodeExistsException raced) {
        client.setData().forPath(layout.breaker(), data);
      }
    }
    return status(closed);
  }

  private static BreakerStatus status(BreakerState state) {
    return new BreakerStatus(state.open(), state.since(), state.reason());
  }
}
