package io.shepherd.cli;

import io.shepherd.api.Caller;
import io.shepherd.client.ShepherdClient;
import picocli.CommandLine.Command;

@Command(name = "whoami", mixinStandardHelpOptions = true,
    description = "Shows the name and role the server gives this client's token.")
final class WhoAmICommand extends ClientCommand {
  @Override
  int run(ShepherdClient client) {
    Caller caller = client.whoami();
    if (json()) {
      printJson(caller);
      return ExitCodes.OK;
    }
    if (caller.name() == null) {
      out().println("This server does not authenticate requests: anyone who can reach it may do anything.");
      return ExitCodes.OK;
    }
    Table table = new Table("Name:", caller.name());
    table.row("Role:", caller.role() == null ? "(none)" : caller.role());
    table.print(out());
    return ExitCodes.OK;
  }
}
