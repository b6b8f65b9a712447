package io.shepherd.cli;

import io.shepherd.api.ConfigFileSpec;
import io.shepherd.api.ReplicaSetStatus;
import io.shepherd.api.ReplicaSetSummary;
import io.shepherd.client.ShepherdClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "get", mixinStandardHelpOptions = true,
    description = "Lists the replica sets, or shows one: its spec, counts, version and live instances.")
final class GetCommand extends ClientCommand {
  @Parameters(arity = "0..1", paramLabel = "NAME", description = "The replica set to show; all when omitted.")
  String name;

  @Override
  int run(ShepherdClient client) {
    if (name == null) {
      list(client.list());
    } else {
      show(client.get(name));
    }
    return ExitCodes.OK;
  }

  private void list(List<ReplicaSetSummary> sets) {
    if (json()) {
      printJson(sets);
      return;
    }
    if (sets.isEmpty()) {
      err().println("no replica sets");
      err().flush();
      return;
    }
    Table table = new Table("NAME", "DESIRED", "LIVE", "READY", "PENDING", "VERSION", "STATE");
    sets.forEach(s -> table.row(s.name(), s.desired(), s.live(), s.ready(), s.pending(), s.version(),
        Render.state(s)));
    table.print(out());
  }

  private void show(ReplicaSetStatus s) {
    if (json()) {
      printJson(s);
      return;
    }
    Table fields = new Table("Name:", s.name());
    fields.row("Version:", s.version());
    fields.row("State:", Render.state(s.deleting(), s.consecutiveFailures(), s.desired(), s.live(), s.pending()));
    fields.row("Replicas:", s.desired() + " desired, " + s.live() + " live, " + s.ready() + " ready, " + s.pending()
        + " pending");
    if (s.revision() > 0) {
      fields.row("Revision:", s.revision() + s.rollout().map(r -> " (rollout " + r.state() + ", " + r.reason() + ")")
          .orElse(""));
    }
    fields.row("Command:", Render.command(s.spec().command()));
    fields.row("Env:", Render.labels(s.spec().env()));
    fields.row("Ports:", s.spec().ports().isEmpty() ? "-" : String.join(",", s.spec().portNames()));
    fields.row("Exposed:", s.spec().expose() == null ? "-"
        : "port " + s.spec().expose().port() + " of every agent -> " + s.spec().expose().targetPort());
    fields.row("Working dir:", s.spec().workingDir().orElse("(per copy)"));
    fields.row("Node selector:", Render.labels(s.spec().nodeSelector()));
    fields.row("Partition policy:", s.spec().partitionPolicy());
    fields.row("Stop grace:", s.spec().stopGraceMs() + " ms");
    fields.row("Probes:", Render.probes(s.spec()));
    fields.row("Local restarts:", s.spec().restart().localAttempts() + " within "
        + s.spec().restart().windowMs() + " ms");
    if (s.spec().configFile() != null) {
      ConfigFileSpec file = s.spec().configFile();
      fields.row("Config file:", file.path() + " (" + file.format() + ", on change: " + file.onChange() + ")");
    }
    s.message().ifPresent(m -> fields.row("Why not running:", m));
    if (s.consecutiveFailures() > 0) {
      fields.row("Failures in a row:", s.consecutiveFailures());
    }
    s.nextSpawnAt().ifPresent(t -> fields.row("Next copy not before:", Render.time(t)));
    fields.print(out());
    out().println();
    InstancesCommand.print(s.instances(), out(), err());
  }
}
