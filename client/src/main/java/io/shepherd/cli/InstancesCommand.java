package io.shepherd.cli;

import io.shepherd.api.Instance;
import io.shepherd.client.ShepherdClient;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "instances", mixinStandardHelpOptions = true,
    description = "Lists a replica set's live instances, ready or not: where each runs (node, host), its pid, its "
        + "ports, and whether it is ready for clients.")
final class InstancesCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The replica set.")
  String name;

  @Override
  int run(ShepherdClient client) {
    List<Instance> instances = client.instances(name, false);
    if (json()) {
      printJson(instances);
    } else {
      print(instances, out(), err());
    }
    return ExitCodes.OK;
  }

  static void print(List<Instance> instances, PrintWriter out, PrintWriter err) {
    if (instances.isEmpty()) {
      out.flush();
      err.println("no live instances");
      err.flush();
      return;
    }
    Table table = new Table("INSTANCE", "READY", "NODE", "HOST", "PID", "STARTED", "SPEC VERSION", "PORTS",
        "RESTARTS");
    instances.forEach(i -> table.row(i.id(), i.ready() ? "yes" : "no", i.node(), i.host(), i.pid(),
        Render.time(i.startedAt()), i.specVersion(), Render.ports(i.ports()), i.restarts()));
    table.print(out);
  }
}
