package io.shepherd.cli;

import io.shepherd.api.ReplicaSetStatus;
import io.shepherd.client.ShepherdClient;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "delete", mixinStandardHelpOptions = true,
    description = "Deletes a replica set: its copies are stopped, then it is removed.")
final class DeleteCommand extends ClientCommand {
  private static final Duration POLL = Duration.ofMillis(200);

  @Parameters(index = "0", paramLabel = "NAME", description = "The replica set.")
  String name;

  @Option(names = "--wait", description = "Return only once every copy has stopped and the set is gone.")
  boolean waitUntilGone;

  @Option(names = "--wait-timeout", defaultValue = "5m", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long --wait waits before giving up (exit code 1). Default: ${DEFAULT-VALUE}.")
  Duration waitTimeout;

  @Override
  int run(ShepherdClient client) throws InterruptedException {
    ReplicaSetStatus status = client.delete(name);
    if (json()) {
      printJson(status);
    } else {
      println("replicaset/" + name + " deleting: stopping " + status.instances().size() + " copies");
    }
    if (!waitUntilGone) {
      return ExitCodes.OK;
    }
    long deadline = System.nanoTime() + waitTimeout.toNanos();
    // Progress on stderr with -o json, so that stdout stays one JSON document.
    ProgressLine progress = new ProgressLine(json() ? err() : out(),
        cli().terminal(json() ? ProgressTerminal.Stream.STDERR : ProgressTerminal.Stream.STDOUT));
    for (Optional<ReplicaSetStatus> left = client.find(name); left.isPresent(); left = client.find(name)) {
      progress.show("replicaset/" + name + " deleting: " + left.get().instances().size() + " copies left");
      if (System.nanoTime() - deadline > 0) {
        progress.end();
        err().println("shepherd: replicaset/" + name + " is still being deleted after " + waitTimeout.toSeconds()
            + " s");
        err().flush();
        return ExitCodes.REFUSED;
      }
      Thread.sleep(POLL.toMillis());
    }
    progress.end();
    if (!json()) {
      println("replicaset/" + name + " deleted");
    }
    return ExitCodes.OK;
  }
}
