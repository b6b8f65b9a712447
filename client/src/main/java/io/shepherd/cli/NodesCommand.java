package io.shepherd.cli;

import io.shepherd.api.Node;
import io.shepherd.client.ShepherdClient;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "nodes", mixinStandardHelpOptions = true, description = "Lists the live agents with capacity and use.")
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
    return ExitCodes.OK;
  }
}
