package io.shepherd.cli;

import io.shepherd.api.FieldError;
import io.shepherd.api.ReplicaSetStatus;
import io.shepherd.api.SpecValidation;
import io.shepherd.client.ShepherdClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "scale", mixinStandardHelpOptions = true, description = "Sets how many copies of a replica set run.")
final class ScaleCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The replica set.")
  String name;

  @Parameters(index = "1", paramLabel = "N", description = "The new count, 0 to " + SpecValidation.MAX_REPLICAS + ".")
  int replicas;

  @Option(names = "--if-match", paramLabel = "VERSION",
      description = "Scale only if the stored spec is still at this version.")
  Integer ifMatch;

  @Override
  int run(ShepherdClient client) {
    List<FieldError> errors = SpecValidation.validateReplicas(replicas);
    if (!errors.isEmpty()) {
      throw new BadInputException("replicas (N): " + errors.get(0).message());
    }
    ReplicaSetStatus status = ifMatch == null ? client.scale(name, replicas) : client.scale(name, replicas, ifMatch);
    if (json()) {
      printJson(status);
    } else {
      println("replicaset/" + name + " scaled to " + status.desired() + " (version " + status.version() + ")");
    }
    return ExitCodes.OK;
  }
}
