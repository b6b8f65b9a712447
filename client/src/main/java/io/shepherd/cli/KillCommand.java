package io.shepherd.cli;

import io.shepherd.api.ReplicaSetStatus;
import io.shepherd.client.ShepherdClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "kill", mixinStandardHelpOptions = true,
    description = "Stops one copy. The controller starts a replacement, unless --scale lowers the target instead.")
final class KillCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The replica set.")
  String name;

  @Parameters(index = "1", paramLabel = "ID", description = "The instance (see 'instances NAME').")
  String id;

  @Option(names = "--scale", description = "Also lower the replica count by one, so no replacement starts. "
      + "Not repeated on another server if the first fails mid-request (exit code 4).")
  boolean scale;

  @Override
  int run(ShepherdClient client) {
    ReplicaSetStatus status = client.killInstance(name, id, scale);
    if (json()) {
      printJson(status);
    } else {
      println("instance " + name + "/" + id + " stopping; " + (scale
          ? "replicaset/" + name + " scaled to " + status.desired()
          : "a replacement will start"));
    }
    return ExitCodes.OK;
  }
}
