package io.shepherd.worker.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a connection to the local API comes from a process of the copy whose token it carries, so that a copy that
 * read another copy's token (from {@code /proc/<pid>/environ}: copies run as the agent's user) cannot use it.
 *
 * <p>Linux, from {@code /proc}: the client socket's inode is found in {@code /proc/net/tcp} (then
 * {@code /proc/net/tcp6}) by the connection's two addresses ({@link ProcNetTcp}), then looked for among the open
 * file descriptors ({@code /proc/<pid>/fd/*}, links named {@code socket:[inode]}) of the copy's process and of its
 * descendants, found through {@code /proc/<pid>/task/<tid>/children}. Only the copy's own process tree is read, never
 * every process of the host. A process that left the tree (a daemon that double-forked) is not found.
 *
 * <p>Cost, per request: one read of {@code /proc/net/tcp} ({@code tcp6} too when the client is not found there: a
 * JVM client's socket is usually IPv6), and one {@code readlink} per open descriptor of the copy's processes. The
 * kernel makes that read walk its whole TCP hash table, so it costs in proportion to the table's size
 * ({@code net.ipv4.tcp_ehash_entries}), not to the number of connections: about 4.5 ms of CPU with 262,144 buckets,
 * against well under a millisecond for the descriptors of a copy with a few hundred. Paid once per request, and a
 * request is a long poll or a rare read. Answers are not cached per connection: a socket reset under its copy frees
 * its port while the copy still holds the descriptor, so a cached answer could be replayed by another process.
 *
 * <p>Where {@code /proc/net/tcp} cannot be read (not Linux), nothing is checked and the token alone decides.
 */
final class CopyPeers {
  private static final Logger LOG = LoggerFactory.getLogger(CopyPeers.class);
  /** At most this many processes of one copy are looked at. */
  static final int MAX_PROCESSES = 4096;

  /** What the check found. */
  enum Verdict {
    /** The connection's client socket is held by the copy's process or one of its descendants. */
    FROM_THE_COPY,
    /** This platform has no {@code /proc/net/tcp}: the token alone decides. */
    NOT_CHECKED,
    /** The connection's client socket is not among the host's sockets: it cannot be traced to the copy. */
    UNKNOWN_CONNECTION,
    /** The client socket is held by no process of the copy. */
    NOT_FROM_THE_COPY;

    boolean allowed() {
      return this == FROM_THE_COPY || this == NOT_CHECKED;
    }
  }

  private final Path proc;

  CopyPeers(Path proc) {
    this.proc = proc;
  }

  /** The host's own {@code /proc}; says once, at WARN, when it cannot check anything. */
  static CopyPeers system() {
    CopyPeers peers = new CopyPeers(Path.of("/proc"));
    if (!Files.isReadable(peers.proc.resolve("net/tcp"))) {
      LOG.warn("/proc/net/tcp cannot be read: the local API cannot tell which process a connection comes from, so "
          + "a copy's token is honoured from any process that holds it");
    }
    return peers;
  }

  /**
   * The decision, from what was found: whether {@code /proc} could be read, the client socket's inode, and whether
   * a process of the copy holds it.
   */
  static Verdict decide(boolean procReadable, OptionalLong inode, boolean heldByTheCopy) {
    if (!procReadable) {
      return Verdict.NOT_CHECKED;
    }
    if (inode.isEmpty()) {
      return Verdict.UNKNOWN_CONNECTION;
    }
    return heldByTheCopy ? Verdict.FROM_THE_COPY : Verdict.NOT_FROM_THE_COPY;
  }

  /** Whether the connection from {@code client} to {@code server} comes from the process tree of {@code pid}. */
  Verdict check(InetSocketAddress client, InetSocketAddress server, long pid) {
    Path tcp = proc.resolve("net/tcp");
    if (!Files.isReadable(tcp)) {
      return decide(false, OptionalLong.empty(), false);
    }
    OptionalLong inode = ProcNetTcp.clientInode(read(tcp), client, server);
    if (inode.isEmpty()) {
      inode = ProcNetTcp.clientInode(read(proc.resolve("net/tcp6")), client, server);
    }
    return decide(true, inode, inode.isPresent() && heldBy(pid, "socket:[" + inode.getAsLong() + "]"));
  }

  /** Whether {@code pid} or one of its descendants has a descriptor linked to {@code target}. */
  private boolean heldBy(long pid, String target) {
    Deque<Long> next = new ArrayDeque<>();
    Set<Long> seen = new HashSet<>();
    next.add(pid);
    while (!next.isEmpty() && seen.size() < MAX_PROCESSES) {
      long p = next.poll();
      if (!seen.add(p)) {
        continue;
      }
      Path dir = proc.resolve(Long.toString(p));
      if (holds(dir.resolve("fd"), target)) {
        return true;
      }
      next.addAll(children(dir.resolve("task")));
    }
    return false;
  }

  private static boolean holds(Path fds, String target) {
    try (DirectoryStream<Path> links = Files.newDirectoryStream(fds)) {
      for (Path link : links) {
        try {
          if (Files.readSymbolicLink(link).toString().equals(target)) {
            return true;
          }
        } catch (IOException | UnsupportedOperationException e) {
          // closed meanwhile
        }
      }
    } catch (IOException e) {
      // the process is gone, or not ours to read
    }
    return false;
  }

  /** The children of every thread of a process, from {@code task/<tid>/children}. */
  private static Set<Long> children(Path tasks) {
    Set<Long> out = new HashSet<>();
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
      for (Path thread : threads) {
        for (String pid : read(thread.resolve("children")).split("\\s+")) {
          if (!pid.isEmpty()) {
            try {
              out.add(Long.parseLong(pid));
            } catch (NumberFormatException e) {
              // not a pid
            }
          }
        }
      }
    } catch (IOException e) {
      // the process is gone
    }
    return out;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      return "";
    }
  }
}
