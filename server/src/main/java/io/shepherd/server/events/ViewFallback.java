package io.shepherd.server.events;

import io.shepherd.server.state.ClusterView;
import io.shepherd.worker.zk.ZkPath;
import java.util.Optional;

/**
 * What the cluster view knows of a znode the feed never read (it existed before the feed's watch, or the watch was
 * re-established since): the details of its deletion, and a spec's previous version. Crash-loop states are not
 * taken from here: the view carries no version for them and may already hold the new one.
 */
final class ViewFallback {
  private final ClusterView view;

  ViewFallback(ClusterView view) {
    this.view = view;
  }

  Optional<Observed> lookup(ZkPath path) {
    if (path instanceof ZkPath.Instance p) {
      return view.instances(p.replicaSet()).stream()
          .filter(i -> i.id().equals(p.instanceId()))
          .findFirst()
          .map(i -> Observed.fromView(new ZnodeContent.Instance(i.node(), i.pid(), i.ready())));
    } else if (path instanceof ZkPath.Assignment p) {
      return view.replicaSetNames().stream()
          .flatMap(name -> view.assignment(name, p.instanceId()).stream())
          .filter(a -> a.nodeId().equals(p.nodeId()))
          .findFirst()
          .map(a -> Observed.fromView(new ZnodeContent.Assignment(a.replicaSet(), 0, Optional.empty(), 0,
              Optional.empty(), a.stopRequestedBy())));
    } else if (path instanceof ZkPath.ReplicaSet p) {
      return view.spec(p.name())
          .map(v -> new Observed(0, 0, v.version(), new ZnodeContent.Spec(v.value())));
    } else if (path instanceof ZkPath.Node p) {
      return Optional.ofNullable(view.nodes().get(p.nodeId()))
          .map(n -> Observed.fromView(new ZnodeContent.Node(n.host(), n.capacity())));
    }
    return Optional.empty();
  }
}
