package io.shepherd.worker.agent;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Linux's {@code /proc/net/tcp} and {@code /proc/net/tcp6}: the socket inode of the client end of a TCP
 * connection, found by its two addresses. Each line of those files is one socket: {@code sl local_address
 * rem_address st ... uid timeout inode ...}, addresses as hex {@code ADDR:PORT} (IPv4 as one little-endian 32-bit
 * word, IPv6 as four). The client's socket is the one whose local address is the client's and whose remote address
 * is the server's (the server's accepted socket has them the other way round). An IPv4 address matches its
 * IPv4-mapped IPv6 form. Pure: the caller reads the files.
 */
final class ProcNetTcp {
  private static final String ADDRESS = "([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})";
  /** {@code sl: local remote st tx:rx tr:when retrnsmt uid timeout inode ...}; anything else is no socket. */
  private static final Pattern SOCKET = Pattern.compile(
      "^\\s*\\d+:\\s+" + ADDRESS + "\\s+" + ADDRESS + "(?:\\s+\\S+){6}\\s+(\\d{1,18})(?:\\s.*)?$");

  private ProcNetTcp() {}

  /** The inode of the client's socket of the connection from {@code client} to {@code server}; empty if none. */
  static OptionalLong clientInode(String table, InetSocketAddress client, InetSocketAddress server) {
    if (client.getAddress() == null || server.getAddress() == null) {
      return OptionalLong.empty();
    }
    for (String line : table.split("\n")) {
      Matcher m = SOCKET.matcher(line);
      if (m.matches() && matches(m.group(1), m.group(2), client) && matches(m.group(3), m.group(4), server)) {
        long inode = Long.parseLong(m.group(5));
        if (inode != 0) {
          return OptionalLong.of(inode);
        }
      }
    }
    return OptionalLong.empty();
  }

  private static boolean matches(String hexAddress, String hexPort, InetSocketAddress address) {
    return Integer.parseInt(hexPort, 16) == address.getPort()
        && Arrays.equals(canonical(decode(hexAddress)), canonical(address.getAddress().getAddress()));
  }

  /** The address bytes of a hex field (8 or 32 digits), in network order: each 32-bit word is written little-endian. */
  private static byte[] decode(String hex) {
    byte[] raw = HexFormat.of().parseHex(hex);
    byte[] out = new byte[raw.length];
    for (int word = 0; word < raw.length; word += 4) {
      for (int i = 0; i < 4; i++) {
        out[word + i] = raw[word + 3 - i];
      }
    }
    return out;
  }

  /** IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}) as its IPv4 address; anything else as it is. */
  private static byte[] canonical(byte[] address) {
    if (address.length == 16) {
      for (int i = 0; i < 10; i++) {
        if (address[i] != 0) {
          return address;
        }
      }
      if (address[10] == (byte) 0xff && address[11] == (byte) 0xff) {
        return Arrays.copyOfRange(address, 12, 16);
      }
    }
    return address;
  }
}
