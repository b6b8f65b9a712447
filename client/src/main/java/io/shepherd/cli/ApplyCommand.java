package io.shepherd.cli;

import io.shepherd.client.Applied;
import io.shepherd.client.ShepherdClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "apply", mixinStandardHelpOptions = true,
    description = {
        "Creates or replaces a replica set from a file.",
        "",
        "The file (YAML or JSON) holds one replica set: its name beside the spec's fields, e.g.",
        "",
        "  name: web",
        "  replicas: 3",
        "  command: [python3, -m, http.server, \"8080\"]",
        "  env: {PYTHONUNBUFFERED: \"1\"}",
        "  stopGraceMs: 10000",
        "  nodeSelector: {zone: a}",
        "  partitionPolicy: KEEP_RUNNING        # or STOP",
        "  crashLoop: {minUptimeMs: 1000, initialBackoffMs: 1000, maxBackoffMs: 60000}",
        "  rollout: {maxSurge: 25%, maxUnavailable: 0, progressDeadlineMs: 600000, autoRevert: true}",
        "",
        "Only name, replicas and command are required. The spec is checked before it is sent."})
final class ApplyCommand extends ClientCommand {
  @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
      description = "The spec file; - reads standard input.")
  String file;

  @Option(names = "--if-match", paramLabel = "VERSION",
      description = "Replace only if the stored spec is still at this version (see 'get NAME').")
  Integer ifMatch;

  @Option(names = "--wait",
      description = "Wait for the rollout of the change to end, showing its progress; exits 5 if it FAILED or was "
          + "REVERTED.")
  boolean waitForRollout;

  @Override
  int run(ShepherdClient client) throws InterruptedException {
    SpecFile.Named named = SpecFile.read(file, cli().stdin());
    Applied applied = ifMatch == null
        ? client.apply(named.name(), named.spec())
        : client.apply(named.name(), named.spec(), ifMatch);
    if (json()) {
      printJson(applied.status());
    } else {
      println("replicaset/" + named.name() + (applied.created() ? " created" : " configured") + " (version "
          + applied.version() + ", " + applied.status().desired() + " desired"
          + (applied.status().revision() > 0 ? ", revision " + applied.status().revision() : "") + ")");
    }
    if (waitForRollout) {
      int revision = applied.status().revision();
      if (revision == 0) {
        err().println("the server reports no revisions (it predates rollouts): nothing to wait for");
        err().flush();
        return ExitCodes.OK;
      }
      return new RolloutWatch(client, json() ? err() : out(),
          cli().terminal(json() ? ProgressTerminal.Stream.STDERR : ProgressTerminal.Stream.STDOUT))
          .await(named.name(), revision);
    }
    return ExitCodes.OK;
  }
}
