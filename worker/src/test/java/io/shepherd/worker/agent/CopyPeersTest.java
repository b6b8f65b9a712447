package io.shepherd.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.worker.agent.CopyPeers.Verdict;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Whether a connection comes from a copy's process tree: the decision as a table, and the walk of a {@code /proc}
 * laid out in a temporary directory (a copy {@code 100} whose shell started {@code 101}, which started {@code 102};
 * another copy {@code 200}).
 */
class CopyPeersTest {
  private static final InetSocketAddress SERVER = address(7071);

  @TempDir
  Path proc;

  @ParameterizedTest(name = "/proc readable {0}, inode {1}, held by the copy {2}: {3}")
  @CsvSource(delimiter = '|', value = {
      "false | -  | false | NOT_CHECKED",
      "true  | -  | false | UNKNOWN_CONNECTION",
      "true  | 42 | false | NOT_FROM_THE_COPY",
      "true  | 42 | true  | FROM_THE_COPY",
  })
  void theDecision(boolean readable, String inode, boolean held, Verdict expected) {
    OptionalLong i = inode.equals("-") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(inode));
    assertThat(CopyPeers.decide(readable, i, held)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} is allowed: {1}")
  @CsvSource({"FROM_THE_COPY, true", "NOT_CHECKED, true", "UNKNOWN_CONNECTION, false", "NOT_FROM_THE_COPY, false"})
  void whatIsAllowed(Verdict verdict, boolean allowed) {
    assertThat(verdict.allowed()).isEqualTo(allowed);
  }

  private void process(long pid, String children, long... sockets) throws Exception {
    Path dir = Files.createDirectories(proc.resolve(pid + "/fd"));
    Files.createSymbolicLink(dir.resolve("0"), Path.of("/dev/null"));
    int fd = 3;
    for (long socket : sockets) {
      Files.createSymbolicLink(dir.resolve(Integer.toString(fd++)), Path.of("socket:[" + socket + "]"));
    }
    Path task = Files.createDirectories(proc.resolve(pid + "/task/" + pid));
    Files.writeString(task.resolve("children"), children);
  }

  private void connections(String tcpLines) throws Exception {
    Files.createDirectories(proc.resolve("net"));
    Files.writeString(proc.resolve("net/tcp"), "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when"
        + " retrnsmt   uid  timeout inode\n" + tcpLines);
    Files.writeString(proc.resolve("net/tcp6"), "");
  }

  private static String connection(int clientPort, long inode) {
    return String.format("   0: 0100007F:%04X 0100007F:1B9F 01 00000000:00000000 00:00000000 00000000  1000"
        + "        0 %d 1 0 20 4 30 10 -1%n", clientPort, inode);
  }

  private static InetSocketAddress address(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  @Test
  void aSocketOfTheCopysProcessOrOfADescendantIsTheCopysAndAnotherCopysIsNot() throws Exception {
    connections(connection(40000, 1000) + connection(40001, 1001) + connection(40002, 2000));
    process(100, "101 ", 1000);
    process(101, "102", 5);
    process(102, "", 1001);
    process(200, "", 2000);
    CopyPeers peers = new CopyPeers(proc);

    assertThat(peers.check(address(40000), SERVER, 100)).isEqualTo(Verdict.FROM_THE_COPY);
    assertThat(peers.check(address(40001), SERVER, 100)).as("a grandchild's").isEqualTo(Verdict.FROM_THE_COPY);
    assertThat(peers.check(address(40002), SERVER, 100)).isEqualTo(Verdict.NOT_FROM_THE_COPY);
    assertThat(peers.check(address(40000), SERVER, 200)).isEqualTo(Verdict.NOT_FROM_THE_COPY);
    assertThat(peers.check(address(40000), SERVER, 102)).as("a parent is not a descendant")
        .isEqualTo(Verdict.NOT_FROM_THE_COPY);
    assertThat(peers.check(address(40009), SERVER, 100)).isEqualTo(Verdict.UNKNOWN_CONNECTION);
    assertThat(peers.check(address(40000), SERVER, 999)).as("a copy whose process is gone")
        .isEqualTo(Verdict.NOT_FROM_THE_COPY);
  }

  @Test
  void aProcessTreeWithACycleIsWalkedOnce() throws Exception {
    connections(connection(40000, 1000));
    process(100, "101");
    process(101, "100");

    assertThat(new CopyPeers(proc).check(address(40000), SERVER, 100)).isEqualTo(Verdict.NOT_FROM_THE_COPY);
  }

  @Test
  void withoutProcNetTcpNothingIsChecked() {
    assertThat(new CopyPeers(proc.resolve("absent")).check(address(40000), SERVER, 100))
        .isEqualTo(Verdict.NOT_CHECKED);
  }
}
