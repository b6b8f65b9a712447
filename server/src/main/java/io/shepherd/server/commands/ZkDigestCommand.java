package io.shepherd.server.commands;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.shepherd.worker.zk.ZkCredential;
import io.shepherd.worker.zk.ZkCredentialSource;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code java -jar shepherd-server.jar zk-digest USER [--password-file FILE]}: prints the ACL id of a ZooKeeper
 * digest identity, {@code digest:USER:base64(sha1(USER:password))}, for {@code zookeeper.acl} lists. The password is
 * read from the file or from the first line of standard input, never from the command line (where {@code ps} would
 * show it).
 */
public final class ZkDigestCommand extends Command {
  private final InputStream in;
  private final PrintStream out;

  public ZkDigestCommand() {
    this(System.in, System.out);
  }

  ZkDigestCommand(InputStream in, PrintStream out) {
    super("zk-digest", "Prints the ZooKeeper ACL id (digest:user:hash) of a user and its password (read from stdin)");
    this.in = in;
    this.out = out;
  }

  @Override
  public void configure(Subparser subparser) {
    subparser.addArgument("user").help("the digest user");
    subparser.addArgument("--password-file").dest("passwordFile").help("a file whose first line is the password");
  }

  @Override
  public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
    String user = namespace.getString("user");
    String file = namespace.getString("passwordFile");
    ZkCredential credential;
    if (file != null) {
      credential = new ZkCredentialSource(user, null, Path.of(file), null, false).resolve(System.getenv());
    } else {
      String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
      credential = new ZkCredentialSource(user, line == null ? "" : line.strip(), null, null, false)
          .resolve(System.getenv());
    }
    out.println(ZkCredential.DIGEST + ":" + credential.id().getId());
  }

  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    cli.getStdErr().println("zk-digest: " + e.getMessage());
  }
}
