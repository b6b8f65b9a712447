package io.shepherd.cli;

import io.shepherd.api.NewToken;
import io.shepherd.api.Role;
import io.shepherd.api.TokenInfo;
import io.shepherd.client.ShepherdClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "token", mixinStandardHelpOptions = true,
    description = "Creates, lists and revokes API tokens (needs an admin token).",
    synopsisSubcommandLabel = "(create | list | revoke)",
    subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "create, list or revoke is required");
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Creates a token and prints its secret: the only time it is shown (the server keeps a hash).")
  static final class Create extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Who or what it is for; events name it.")
    String name;

    @Option(names = "--role", required = true, paramLabel = "ROLE",
        description = "viewer (reads), operator (also writes and logs) or admin (also tokens and the breaker).")
    Role role;

    @Override
    int run(ShepherdClient client) {
      NewToken made = client.createToken(name, role);
      if (json()) {
        printJson(made);
      } else {
        err().println("token/" + made.token().name() + " created (id " + made.token().id() + ", role "
            + made.token().role().id() + "); its secret, shown only now:");
        err().flush();
        println(made.secret());
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists every token, without secrets.")
  static final class ListTokens extends ClientCommand {
    @Override
    int run(ShepherdClient client) {
      java.util.List<TokenInfo> tokens = client.tokens();
      if (json()) {
        printJson(tokens);
        return ExitCodes.OK;
      }
      Table table = new Table("ID", "NAME", "ROLE", "CREATED", "BY");
      for (TokenInfo t : tokens) {
        table.row(t.id(), t.name(), t.role().id(), t.created(), t.createdBy().orElse("-"));
      }
      table.print(out());
      return ExitCodes.OK;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = "Revokes a token by its id: every server refuses it from then on.")
  static final class Revoke extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID") String id;

    @Override
    int run(ShepherdClient client) {
      client.revokeToken(id);
      if (!json()) {
        println("token " + id + " revoked");
      }
      return ExitCodes.OK;
    }
  }
}
