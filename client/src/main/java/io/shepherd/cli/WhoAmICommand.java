package io.shepherd.cli;

import io.shepherd.api.WhoAmI;
import io.shepherd.client.ShepherdClient;
import picocli.CommandLine.Command;

@Command(name = "whoami", mixinStandardHelpOptions = true,
    description = "Shows the name and role the server gives this client's token.")
final class WhoAmICommand extends ClientCommand {
  @Override
  int run(ShepherdClient client) {
    WhoAmI caller = client.whoami();
    if (json()) {
      printJson(caller);
      return ExitCodes.OK;
    }
    Table table = new Table("Name:", caller.name());
    table.row("Role:", caller.role().id());
    table.print(out());
    return ExitCodes.OK;
  }
}
