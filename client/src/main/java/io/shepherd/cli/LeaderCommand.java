package io.shepherd.cli;

import io.shepherd.api.LeaderInfo;
import io.shepherd.client.ShepherdClient;
import picocli.CommandLine.Command;

@Command(name = "leader", mixinStandardHelpOptions = true, description = "Shows which server controls the cluster.")
final class LeaderCommand extends ClientCommand {
  @Override
  int run(ShepherdClient client) {
    LeaderInfo info = client.leader();
    if (json()) {
      printJson(info);
      return ExitCodes.OK;
    }
    Table table = new Table("Leader:", info.leader().orElse("(none)"));
    table.row("Epoch:", info.epoch());
    table.row("Answered by:", info.self() + (info.isLeader() ? " (the leader)" : " (a standby)"));
    table.print(out());
    return ExitCodes.OK;
  }
}
