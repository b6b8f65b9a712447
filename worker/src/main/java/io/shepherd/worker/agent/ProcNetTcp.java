package io.shepherd.worker.agent;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.OptionalLong;

/**
 * Reads Linux's {@code /proc/net/tcp} and {@code /proc/net/tcp6}: the socket inode of the client end of a TCP
 * connection, found by its two addresses. Each line of those files is one socket: {@code sl local_address
 * rem_address st ... uid timeout inode ...}, addresses as hex {@code ADDR:PORT} (IPv4 as one little-endian 32-bit
 * word, IPv6 as four). The client's socket is the one whose local address is the client's and whose remote address
 * is the server's (the server's accepted socket has them the other way round). An IPv4 address matches its
 * IPv4-mapped IPv6 form. Pure: the caller reads the files.
 */
final class ProcNetTcp {
  private static final int LOCAL = 1;
  private static final int REMOTE = 2;
  private static final int INODE = 9;

  private ProcNetTcp() {}

  /** The inode of the client's socket of the connection from {@code client} to {@code server}; empty if none. */
  static OptionalLong clientInode(String table, InetSocketAddress client, InetSocketAddress server) {
    for (String line : table.split("\n")) {
      String[] f = line.strip().split("\\s+");
      if (f.length <= INODE || !f[0].endsWith(":")) {
        continue; // the header, or a line this reader does not know
      }
      try {
        if (matches(f[LOCAL], client) && matches(f[REMOTE], server)) {
          long inode = Long.parseLong(f[INODE]);
          if (inode != 0) {
            return OptionalLong.of(inode);
          }
        }
      } catch (IllegalArgumentException e) {
        // a malformed line: not ours
      }
    }
    return OptionalLong.empty();
  }

  private static boolean matches(String field, InetSocketAddress address) {
    int colon = field.indexOf(':');
    if (colon < 0 || address.getAddress() == null) {
      return false;
    }
    int port = Integer.parseInt(field.substring(colon + 1), 16);
    return port == address.getPort()
        && Arrays.equals(canonical(decode(field.substring(0, colon))), canonical(address.getAddress().getAddress()));
  }

  /** The address bytes of a hex field, in network order: each 32-bit word is written little-endian. */
  static byte[] decode(String hex) {
    if (hex.length() != 8 && hex.length() != 32) {
      throw new IllegalArgumentException("not an address: " + hex);
    }
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
