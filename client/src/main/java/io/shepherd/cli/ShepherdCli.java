package io.shepherd.cli;

import io.shepherd.client.ShepherdClient;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code shepherd}: the command-line tool of Shepherd, over {@link ShepherdClient}.
 *
 * <p>Run it in-process with {@link #commandLine}; {@link #main} exits with the code {@code execute} returns.
 * Every failure is one line on standard error, never a stack trace; the exit codes are in {@link ExitCodes}.
 */
@Command(
    name = "shepherd",
    mixinStandardHelpOptions = true,
    versionProvider = ShepherdCli.Version.class,
    description = "Keeps N copies of declared processes alive across hosts. This tool talks to its REST API.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
        ApplyCommand.class, GetCommand.class, ScaleCommand.class, DeleteCommand.class, KillCommand.class,
        RestartCommand.class, RolloutCommand.class,
        InstancesCommand.class, NodesCommand.class, LeaderCommand.class, WhoAmICommand.class, EventsCommand.class,
        LogsCommand.class, ConfigCommand.class, TokenCommand.class, CommandLine.HelpCommand.class},
    footerHeading = "%nServers:%n",
    footer = {
        "  From --server, else from the environment variable SHEPHERD_SERVERS",
        "  (comma-separated URLs), else " + ShepherdCli.DEFAULT_SERVER + ".",
        "  A server that cannot be reached, times out or answers 5xx is skipped",
        "  for the next one.",
        "",
        "Token:",
        "  From --token, else the file --token-file names, else the environment",
        "  variable SHEPHERD_TOKEN, else the file $XDG_CONFIG_HOME/shepherd/token",
        "  ($XDG_CONFIG_HOME defaults to ~/.config). The embedded default writes its",
        "  first admin token to data/admin.token."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:done",
        "1:the server refused (not found, conflict, version mismatch), or a wait timed out",
        "2:usage error or invalid input (options, spec file, values refused locally or by the server)",
        "3:unavailable: no server could serve the request",
        "4:outcome unknown: a non-repeatable request (kill --scale) reached a server that failed",
        "5:a rollout waited for (rollout status --watch, apply --wait) FAILED or was REVERTED"})
public final class ShepherdCli implements Runnable {
  static final String DEFAULT_SERVER = "http://127.0.0.1:8080";
  static final String SERVERS_ENV = "SHEPHERD_SERVERS";
  static final String CA_ENV = "SHEPHERD_CA";
  static final String TOKEN_ENV = "SHEPHERD_TOKEN";

  /** How results are printed. */
  enum Output { table, json }

  @Spec CommandSpec spec;

  @Option(names = {"-s", "--server"}, scope = ScopeType.INHERIT, split = ",", paramLabel = "URL",
      description = "Server base URL(s), comma-separated or repeated, tried in order.")
  List<String> servers;

  @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, defaultValue = "table", paramLabel = "FORMAT",
      description = "table (aligned, for people; the default) or json (for scripts).")
  Output output;

  @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
      description = "The API token (visible to other users in the process list: prefer SHEPHERD_TOKEN or a file).")
  String token;

  @Option(names = "--token-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "A file holding the API token.")
  Path tokenFile;

  @Option(names = "--timeout", scope = ScopeType.INHERIT, defaultValue = "10s", paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long to wait for each server's answer, e.g. 500ms, 10s, 1m. Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  @Option(names = "--ca-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "Trust this CA certificate (PEM) for https:// servers, instead of the JDK's; "
          + "default: $SHEPHERD_CA.")
  Path caFile;

  private final Map<String, String> env;
  private final InputStream stdin;

  ShepherdCli(Map<String, String> env, InputStream stdin) {
    this.env = env;
    this.stdin = stdin;
  }

  public static void main(String[] args) {
    System.exit(commandLine(System.getenv(), System.in).execute(args));
  }

  /** The command line, ready to {@code execute}; set its out and err writers to capture them. */
  public static CommandLine commandLine(Map<String, String> env, InputStream stdin) {
    CommandLine cli = new CommandLine(new ShepherdCli(env, stdin));
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler(new Failures());
    cli.setParameterExceptionHandler(Failures::usage);
    return cli;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  /** A client for the chosen servers; the caller closes it. */
  ShepherdClient newClient() {
    String urls = servers != null && !servers.isEmpty() ? String.join(",", servers)
        : env.getOrDefault(SERVERS_ENV, "").isBlank() ? DEFAULT_SERVER : env.get(SERVERS_ENV);
    ShepherdClient.Builder builder;
    try {
      builder = ShepherdClient.builder().servers(urls)
          .connectTimeout(timeout.compareTo(Duration.ofSeconds(2)) < 0 ? timeout : Duration.ofSeconds(2))
          .requestTimeout(timeout);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("--server: " + e.getMessage(), e);
    }
    Path ca = caFile != null ? caFile
        : env.getOrDefault(CA_ENV, "").isBlank() ? null : Path.of(env.get(CA_ENV));
    if (ca != null) {
      try {
        builder.caFile(ca);
      } catch (IllegalArgumentException e) {
        throw new BadInputException((caFile != null ? "--ca-file: " : CA_ENV + ": ") + e.getMessage(), e);
      }
    }
    TokenSource.find(token, tokenFile, env).ifPresent(t -> {
      try {
        builder.token(t.value());
      } catch (IllegalArgumentException e) {
        throw new BadInputException(t.origin() + ": " + e.getMessage(), e);
      }
    });
    return builder.build();
  }

  Output output() {
    return output;
  }

  InputStream stdin() {
    return stdin;
  }

  /** Whether {@code stream} goes to a terminal, where a progress line written to it is redrawn in place. */
  boolean terminal(ProgressTerminal.Stream stream) {
    return ProgressTerminal.redraws(stream, System.console() != null,
        stream == ProgressTerminal.Stream.STDERR && ProgressTerminal.stderrIsTerminal(),
        Optional.ofNullable(env.get("TERM")));
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = ShepherdCli.class.getPackage().getImplementationVersion();
      return new String[] {"shepherd " + (v == null ? "(development build)" : v)};
    }
  }
}
