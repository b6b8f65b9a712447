package io.shepherd.cli;

import io.shepherd.api.ConfigValue;
import io.shepherd.client.ShepherdClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "config", mixinStandardHelpOptions = true,
    description = "Reads and writes the configuration values a replica set's workers watch.",
    synopsisSubcommandLabel = "(get | set | delete)",
    subcommands = {ConfigCommand.Get.class, ConfigCommand.Set.class, ConfigCommand.Delete.class})
final class ConfigCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "get, set or delete is required");
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Prints a value.")
  static final class Get extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Parameters(index = "1", paramLabel = "KEY") String key;

    @Override
    int run(ShepherdClient client) {
      ConfigValue value = client.getConfig(name, key);
      if (json()) {
        printJson(value);
      } else {
        println(value.value());
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "set", mixinStandardHelpOptions = true, description = "Sets a value.")
  static final class Set extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Parameters(index = "1", paramLabel = "KEY") String key;
    @Parameters(index = "2", paramLabel = "VALUE") String value;

    @Option(names = "--if-match", paramLabel = "VERSION", description = "Set only if still at this version.")
    Integer ifMatch;

    @Override
    int run(ShepherdClient client) {
      ConfigValue stored = ifMatch == null ? client.putConfig(name, key, value)
          : client.putConfig(name, key, value, ifMatch);
      if (json()) {
        printJson(stored);
      } else {
        println("config " + name + "/" + key + " set (version " + stored.version() + ")");
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes a value.")
  static final class Delete extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Parameters(index = "1", paramLabel = "KEY") String key;

    @Override
    int run(ShepherdClient client) {
      client.deleteConfig(name, key);
      if (!json()) {
        println("config " + name + "/" + key + " deleted");
      }
      return ExitCodes.OK;
    }
  }
}
