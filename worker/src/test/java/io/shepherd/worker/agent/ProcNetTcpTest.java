package io.shepherd.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
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
      // cut short before the inode, and an address of 6 digits: no sockets
      "   6: 0100007F:9C45 0100007F:1B9F 01 00000000:00000000 00:00000000 00000000  1000        0",
      "   7: 00007F:9C46 0100007F:1B9F 01 00000000:00000000 00:00000000 00000000  1000        0 700 1 0",
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
      // 2001:db8::ffff:7f00:1:40007 -> the same:7071, and ::127.0.0.1:40008 -> the same:7071 (IPv4-compatible): neither
      // is an IPv4 address, though each ends in 127.0.0.1
      "   2: B80D012000000000FFFF00000100007F:9C47 B80D012000000000FFFF00000100007F:1B9F 01 00000000:00000000"
          + " 00:00000000 00000000  1000        0 800 1 0 20 4 30 10 -1",
      "   3: 0000000000000000000000000100007F:9C48 0000000000000000000000000100007F:1B9F 01 00000000:00000000"
          + " 00:00000000 00000000  1000        0 900 1 0 20 4 30 10 -1",
      // ::ff:7f00:1 and ::ff00:7f00:1, which are not IPv4-mapped either
      "   4: 0000000000000000FF0000000100007F:9C4A 0000000000000000FF0000000100007F:1B9F 01 00000000:00000000"
          + " 00:00000000 00000000  1000        0 1000 1 0 20 4 30 10 -1",
      "   5: 000000000000000000FF00000100007F:9C4B 000000000000000000FF00000100007F:1B9F 01 00000000:00000000"
          + " 00:00000000 00000000  1000        0 1100 1 0 20 4 30 10 -1",
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
      // lines that are no socket of this reader's: none
      "127.0.0.1 | 40005 | 127.0.0.1 | 7071 | tcp  | -",
      "127.0.0.1 | 40006 | 127.0.0.1 | 7071 | tcp  | -",
      // IPv6 addresses that end like 127.0.0.1 are not it, and match only themselves
      "127.0.0.1 | 40007 | 127.0.0.1 | 7071 | tcp6 | -",
      "127.0.0.1 | 40008 | 127.0.0.1 | 7071 | tcp6 | -",
      "2001:db8::ffff:7f00:1 | 40007 | 2001:db8::ffff:7f00:1 | 7071 | tcp6 | 800",
      "::7f00:1  | 40008 | ::7f00:1  | 7071 | tcp6 | 900",
      "127.0.0.1 | 40010 | 127.0.0.1 | 7071 | tcp6 | -",
      "127.0.0.1 | 40011 | 127.0.0.1 | 7071 | tcp6 | -",
      "2001:db8::1 | 40007 | 2001:db8::ffff:7f00:1 | 7071 | tcp6 | -",
      "0.0.0.1   | 40004 | 0.0.0.1   | 7071 | tcp6 | -",
      // the listening socket: local 127.0.0.1:7071, remote 0.0.0.0:0
      "127.0.0.1 | 7071  | 0.0.0.0   | 0    | tcp  | 100",
  })
  void theClientsSocket(String clientHost, int clientPort, String serverHost, int serverPort, String table,
      String inode) throws Exception {
    InetSocketAddress client = new InetSocketAddress(InetAddress.getByName(clientHost), clientPort);
    InetSocketAddress server = new InetSocketAddress(InetAddress.getByName(serverHost), serverPort);

    OptionalLong found = ProcNetTcp.clientInode(table.equals("tcp") ? TCP : TCP6, client, server);

    assertThat(found).isEqualTo(inode.equals("-") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(inode)));
  }

  @Test
  void anUnresolvedAddressIsNoConnection() {
    InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), 7071);

    assertThat(ProcNetTcp.clientInode(TCP, InetSocketAddress.createUnresolved("127.0.0.1", 40000), server)).isEmpty();
    assertThat(ProcNetTcp.clientInode(TCP, new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000),
        InetSocketAddress.createUnresolved("127.0.0.1", 7071))).isEmpty();
  }
}
