package io.shepherd.cli;

import io.shepherd.api.Node;
import io.shepherd.client.ShepherdClient;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * The live agents, one row each; below the table, one line per exposed port an agent's gateway does not listen on,
 * with the agent's reason (a privileged port it may not bind, a port another process holds).
 */
@Command(name = "nodes", mixinStandardHelpOptions = true,
    description = "Lists the live agents with capacity and use, and the exposed ports each does not serve.")
final class NodesCommand extends ClientCommand {
  @Override
  int run(ShepherdClient client) {
    List<Node> nodes = client.nodes();
    if (json()) {
      printJson(nodes);
      return ExitCodes.OK;
    }
    if (nodes.isEmpty()) {
      err().println("no live nodes");
      err().flush();
      return ExitCodes.OK;
    }
    Table table = new Table("NODE", "HOST", "USED", "CAPACITY", "LABELS", "STARTED");
    nodes.forEach(n -> table.row(n.id(), n.host(), n.used(), n.capacity(), Render.labels(n.labels()),
        Render.time(n.startedAt())));
    table.print(out());
    List<String> refused = nodes.stream().flatMap(n -> n.refusedPorts().stream().map(r -> n.id()
        + " does not listen on exposed port " + r.port() + " (" + r.replicaSet() + "): " + r.reason())).toList();
    if (!refused.isEmpty()) {
      out().println();
      refused.forEach(out()::println);
    }
    out().flush();
    return ExitCodes.OK;
  }
}
