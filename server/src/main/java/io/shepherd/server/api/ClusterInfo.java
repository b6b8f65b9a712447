package io.shepherd.server.api;

import io.shepherd.api.LeaderInfo;
import io.shepherd.api.Node;
import java.util.List;

/** The live agents and who controls, as this server knows them. */
public interface ClusterInfo {
  /** The registered nodes, by id. */
  List<Node> nodes();

  LeaderInfo leader();
}
