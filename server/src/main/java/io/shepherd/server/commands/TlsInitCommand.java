package io.shepherd.server.commands;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.shepherd.server.tls.TlsInit;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code java -jar shepherd-server.jar tls-init --dir tls --server-host 10.0.0.1 --agent-host 10.0.0.5 ...}: a CA
 * and the certificates of the servers and agents (docs/SECURITY.md, "TLS"). Never overwrites a file.
 */
public final class TlsInitCommand extends Command {
  private final PrintStream out;

  public TlsInitCommand() {
    this(System.out);
  }

  TlsInitCommand(PrintStream out) {
    super("tls-init", "Writes a CA, a server keystore and an agent keystore for the given hosts (never overwrites)");
    this.out = out;
  }

  @Override
  public void configure(Subparser subparser) {
    subparser.addArgument("--dir").setDefault("tls").help("where to write the files (default: tls)");
    subparser.addArgument("--server-host").dest("serverHosts").action(Arguments.append())
        .help("a host name or IP address the servers are reached at (repeat; default: 127.0.0.1 and localhost)");
    subparser.addArgument("--agent-host").dest("agentHosts").action(Arguments.append())
        .help("a host name or IP address agents are reached at (repeat; default: the server hosts)");
    subparser.addArgument("--days").type(Integer.class).setDefault(825)
        .help("how long the certificates are valid, in days (default: 825)");
  }

  @Override
  public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
    List<String> servers = namespace.getList("serverHosts");
    if (servers == null || servers.isEmpty()) {
      servers = List.of("127.0.0.1", "localhost");
    }
    List<String> agents = namespace.getList("agentHosts");
    if (agents == null || agents.isEmpty()) {
      agents = servers;
    }
    int days = namespace.getInt("days");
    if (days < 1) {
      throw new IllegalArgumentException("--days: must be at least 1, got " + days);
    }
    TlsInit.Written w = TlsInit.write(Path.of(namespace.getString("dir")), servers, agents, Duration.ofDays(days));
    out.println("wrote " + w.dir().toAbsolutePath() + ":");
    out.println("  ca.pem              the CA certificate: give it to the CLI and SDK (--ca-file, SHEPHERD_CA)");
    out.println("  truststore.p12      the same, as a PKCS12 truststore");
    out.println("  ca.p12              the CA's key (0600): keep it offline; it signs further certificates");
    out.println("  server.p12          the servers' key and certificate (0600) for " + String.join(", ", servers));
    out.println("  agent.p12           the agents' key and certificate (0600) for " + String.join(", ", agents));
    out.println("  keystore.password   the password of the .p12 files (0600)");
  }

  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    cli.getStdErr().println("tls-init: " + (e instanceof java.nio.file.FileAlreadyExistsException
        ? e.getMessage() + " exists: choose another --dir" : e.getMessage()));
  }
}
