package io.shepherd.cli;

import io.shepherd.client.ShepherdClient;
import java.util.OptionalInt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", mixinStandardHelpOptions = true,
    description = "Prints a copy's output (stdout and stderr), wherever it runs.")
final class LogsCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The replica set.")
  String name;

  @Parameters(index = "1", paramLabel = "ID", description = "The instance (see 'instances NAME').")
  String id;

  @Option(names = {"-f", "--follow"}, description = "Keep printing what the copy writes, until interrupted.")
  boolean follow;

  @Option(names = "--tail", paramLabel = "N", description = "Start with the last N lines only.")
  Integer tail;

  @Override
  int run(ShepherdClient client) {
    if (tail != null && tail < 0) {
      throw new BadInputException("--tail: must not be negative");
    }
    client.logs(name, id, tail == null ? OptionalInt.empty() : OptionalInt.of(tail), follow, this::println);
    return ExitCodes.OK;
  }
}
