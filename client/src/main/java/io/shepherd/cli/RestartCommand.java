package io.shepherd.cli;

import io.shepherd.api.ReplicaSetStatus;
import io.shepherd.client.ShepherdClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "restart", mixinStandardHelpOptions = true,
    description = "Restarts one copy in place: its agent stops it gracefully and starts it again under the same id "
        + "and ports. Not counted as a failure. Not repeated on another server if the first fails mid-request "
        + "(exit code 4).")
final class RestartCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The replica set.")
  String name;

  @Parameters(index = "1", paramLabel = "ID", description = "The instance (see 'instances NAME').")
  String id;

  @Override
  int run(ShepherdClient client) {
    ReplicaSetStatus status = client.restart(name, id);
    if (json()) {
      printJson(status);
    } else {
      println("instance " + name + "/" + id + " restarting in place");
    }
    return ExitCodes.OK;
  }
}
