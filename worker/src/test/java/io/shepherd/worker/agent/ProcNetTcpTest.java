package io.shepherd.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The client socket of a connection, found in {@code /proc/net/tcp} and {@code tcp6} text by its two addresses. */
class ProcNetTcpTest {
  private static final String TCP = String.join("\n",
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
      // the agent listening on 127.0.0.1:7071
      "   0: 0100007F:1B9F 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 100 1 0 100 0 0 10 0",
      // a client 127.0.0.1:40000 -> 127.0.0.1:7071, and the agent's accepted end of it
      "   1: 0100007F:9C40 0100007F:1B9F 01 00000000:00000000 00:00000000 00000000  1000        0 200 1 0 20 4 30 10 -1",
      "   2: 0100007F:1B9F 0100007F:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 300 1 0 20 4 30 10 -1",
      // a client 10.1.2.3:40001 -> 10.1.2.3:7071
      "   3: 0302010A:9C41 0302010A:1B9F 01 00000000:00000000 00:00000000 00000000  1000        0 400 1 0 20 4 30 10 -1",
      // a socket in TIME_WAIT: inode 0
      "   4: 0100007F:9C42 0100007F:1B9F 06 00000000:00000000 03:00000000 00000000     0        0 0 3 0",
      "   5: garbage",
      "");
  private static final String TCP6 = String.join("\n",
      "  sl  local_address                         remote_address                        st tx_queue rx_queue tr"
          + " tm->when retrnsmt   uid  timeout inode",
      // an IPv4-mapped client ::ffff:127.0.0.1:40003 -> ::ffff:127.0.0.1:7071
      "   0: 0000000000000000FFFF00000100007F:9C43 0000000000000000FFFF00000100007F:1B9F 01 00000000:00000000"
          + " 00:00000000 00000000  1000        0 500 1 0 20 4 30 10 -1",
      // ::1:40004 -> ::1:7071
      "   1: 00000000000000000000000001000000:9C44 00000000000000000000000001000000:1B9F 01 00000000:00000000"
          + " 00:00000000 00000000  1000        0 600 1 0 20 4 30 10 -1",
      "");

  @ParameterizedTest(name = "{0}:{1} -> {2}:{3} in {4}: inode {5}")
  @CsvSource(delimiter = '|', value = {
      "127.0.0.1 | 40000 | 127.0.0.1 | 7071 | tcp  | 200",
      "10.1.2.3  | 40001 | 10.1.2.3  | 7071 | tcp  | 400",
      // the server's end is never taken for the client's
      "127.0.0.1 | 7071  | 127.0.0.1 | 40000 | tcp | 300",
      // another port, another address, a socket with no inode: none
      "127.0.0.1 | 40009 | 127.0.0.1 | 7071 | tcp  | -",
      "127.0.0.2 | 40000 | 127.0.0.1 | 7071 | tcp  | -",
      "127.0.0.1 | 40000 | 127.0.0.1 | 7072 | tcp  | -",
      "127.0.0.1 | 40002 | 127.0.0.1 | 7071 | tcp  | -",
      // IPv4-mapped addresses in tcp6 match the IPv4 address Java reports, and ::1 matches ::1
      "127.0.0.1 | 40003 | 127.0.0.1 | 7071 | tcp6 | 500",
      "::1       | 40004 | ::1       | 7071 | tcp6 | 600",
      "127.0.0.1 | 40000 | 127.0.0.1 | 7071 | tcp6 | -",
  })
  void theClientsSocket(String clientHost, int clientPort, String serverHost, int serverPort, String table,
      String inode) throws Exception {
    InetSocketAddress client = new InetSocketAddress(InetAddress.getByName(clientHost), clientPort);
    InetSocketAddress server = new InetSocketAddress(InetAddress.getByName(serverHost), serverPort);

    OptionalLong found = ProcNetTcp.clientInode(table.equals("tcp") ? TCP : TCP6, client, server);

    assertThat(found).isEqualTo(inode.equals("-") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(inode)));
  }
}
