package io.shepherd.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * The processes an agent's threads have started, seen from {@code /proc}: a process is "running" once it is a child
 * of one of the agent's threads and has exec'd its command (its {@code cmdline}'s argv[0] is the command, by name or
 * as a path ending in it). Linux lists a
 * process's children per thread ({@code /proc/<pid>/task/<tid>/children}), so only the agent's own threads (named
 * {@code shepherd-agent-*}, truncated by the kernel to 15 characters) are read, and the process's main thread's: a
 * thread that started a child and then ended (the agent's exit watchers do, once they have started a copy again)
 * leaves its children to the main thread. A handful of small files per poll; only children not known before are
 * read further. supervisord, single-threaded, is read the same way through its main thread.
 */
final class AgentChildren {
  /** Between two polls while waiting: short, so that the poll adds ~0.1-0.2 ms, not a millisecond. */
  static final long POLL_NANOS = 100_000;
  private final List<Path> childrenFiles;
  private final String command;

  private AgentChildren(List<Path> childrenFiles, String command) {
    this.childrenFiles = childrenFiles;
    this.command = command;
  }

  /** The children of {@code pid}'s threads whose name starts with {@code threadPrefix}, running {@code command}. */
  static AgentChildren of(long pid, String threadPrefix, String command) throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(Path.of("/proc", Long.toString(pid), "task", Long.toString(pid), "children"));
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks) {
        try {
          if (Files.readString(task.resolve("comm")).trim().startsWith(threadPrefix)) {
            files.add(task.resolve("children"));
          }
        } catch (NoSuchFileException e) {
          // A thread that ended while the list was read.
        }
      }
    }
    if (files.size() == 1) {
      throw new IllegalStateException("no thread named " + threadPrefix + "* in pid " + pid);
    }
    return new AgentChildren(files, command);
  }

  /** The children of the single-threaded process {@code pid} running {@code command}. */
  static AgentChildren ofMainThread(long pid, String command) {
    return new AgentChildren(List.of(Path.of("/proc", Long.toString(pid), "task", Long.toString(pid), "children")),
        command);
  }

  /** The pids running the command now. */
  Set<Long> running() {
    return runningExcept(Set.of());
  }

  /** The pids running the command now that are not in {@code known}. */
  private Set<Long> runningExcept(Set<Long> known) {
    Set<Long> out = new HashSet<>();
    for (Path file : childrenFiles) {
      String text;
      try {
        text = Files.readString(file).trim();
      } catch (IOException e) {
        continue; // the thread ended
      }
      if (text.isEmpty()) {
        continue;
      }
      for (String f : text.split("\\s+")) {
        if (known.contains(Long.parseLong(f))) {
          continue;
        }
        try {
          // Before its exec a vforked or forked child still shows its parent's command line; a wrapper (a shell,
          // pyenv's python3 shim) shows its own until it execs the real program.
          if (isCommand(Files.readAllBytes(Path.of("/proc", f, "cmdline")))) {
            out.add(Long.parseLong(f));
          }
        } catch (IOException e) {
          // It vanished between the two reads: not running.
        }
      }
    }
    return out;
  }

  /** Whether a command line's argv[0] is the command, by name or as a path ending in it. */
  private boolean isCommand(byte[] cmdline) {
    String text = new String(cmdline, StandardCharsets.UTF_8);
    int end = text.indexOf('\0');
    String argv0 = end < 0 ? text : text.substring(0, end);
    return argv0.equals(command) || argv0.endsWith("/" + command);
  }

  /** A pid running the command that is not in {@code known}, or -1. */
  long fresh(Set<Long> known) {
    return runningExcept(known).stream().findFirst().orElse(-1L);
  }

  static void pause() {
    LockSupport.parkNanos(POLL_NANOS);
  }
}
