package io.shepherd.server.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shaded server jar run as the README's first command runs it ({@code java -jar server/target/shepherd-server.jar
 * server conf/shepherd.yml}), in a directory of its own (for its {@code ./data}), with every port it opens moved to
 * one the caller chose on the loopback address: the REST port, the admin port, the embedded ZooKeeper's and the
 * agent's. Its output goes to {@code server.log} in that directory; {@link Processes#stopWithDescendants} stops it.
 */
public final class PackagedJar {
  public static final Path JAR = Path.of("target", "shepherd-server.jar").toAbsolutePath();
  public static final Path CONF = Path.of("..", "conf", "shepherd.yml").toAbsolutePath().normalize();

  private PackagedJar() {}

  /** Starts the jar in {@code workDir}; {@code settings} are more {@code -Ddw.} properties ({@code key=value}). */
  public static Process start(Path workDir, int http, int zkPort, int agentPort, String... settings)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Ddw.server.applicationConnectors[0].port=" + http,
        "-Ddw.server.adminConnectors[0].port=" + LoopbackPort.free(),
        "-Ddw.zookeeper.connect=127.0.0.1:" + zkPort,
        "-Ddw.embeddedZooKeeper.port=" + zkPort,
        "-Ddw.agent.logsPort=" + agentPort));
    for (String s : settings) {
      command.add("-Ddw." + s);
    }
    command.addAll(List.of("-jar", JAR.toString(), "server", CONF.toString()));
    return new ProcessBuilder(command).directory(workDir.toFile())
        .redirectErrorStream(true).redirectOutput(workDir.resolve("server.log").toFile()).start();
  }
}
