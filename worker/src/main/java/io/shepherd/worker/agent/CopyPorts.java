package io.shepherd.worker.agent;

import io.shepherd.worker.record.AssignmentRecord;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * What a copy's ports (picked by the leader, carried by its assignment) mean on the agent: the placeholders
 * {@code ${PORT}} (the first port) and {@code ${PORT_<NAME>}} (the name upper-cased, '-' as '_') replaced in each argv
 * element, the same names as environment variables, and the check that each port is free before the copy starts.
 * Replacement is plain text substitution in each element: no shell is involved, nothing else is expanded.
 */
final class CopyPorts {
  private CopyPorts() {}

  /** The variable a port name is known by: {@code PORT_<NAME>}. */
  static String variable(String portName) {
    return "PORT_" + portName.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** The argv with every placeholder of a port the copy has replaced; other text, other placeholders untouched. */
  static List<String> argv(List<String> command, Map<String, Integer> ports) {
    if (ports.isEmpty()) {
      return command;
    }
    Map<String, String> values = environment(ports);
    List<String> argv = new ArrayList<>(command.size());
    for (String arg : command) {
      argv.add(arg.indexOf("${PORT") < 0 ? arg : substitute(arg, values));
    }
    return argv;
  }

  private static String substitute(String arg, Map<String, String> values) {
    StringBuilder out = new StringBuilder(arg.length());
    int i = 0;
    while (i < arg.length()) {
      int start = arg.indexOf("${", i);
      int end = start < 0 ? -1 : arg.indexOf('}', start + 2);
      if (start < 0 || end < 0) {
        out.append(arg, i, arg.length());
        break;
      }
      String value = values.get(arg.substring(start + 2, end));
      out.append(arg, i, start);
      if (value == null) {
        out.append(arg, start, end + 1);
      } else {
        out.append(value);
      }
      i = end + 1;
    }
    return out.toString();
  }

  /** {@code PORT} (the first port) and {@code PORT_<NAME>} for each, as the copy's environment gets them. */
  static Map<String, String> environment(Map<String, Integer> ports) {
    Map<String, String> env = new LinkedHashMap<>();
    ports.values().stream().findFirst().ifPresent(p -> env.put("PORT", Integer.toString(p)));
    ports.forEach((name, port) -> env.put(variable(name), Integer.toString(port)));
    return env;
  }

  /** Why the copy cannot start because one of its ports is taken, or empty when every port can be bound. */
  static Optional<String> unavailable(AssignmentRecord assignment, IntPredicate bindable) {
    for (Map.Entry<String, Integer> e : assignment.ports().entrySet()) {
      if (!bindable.test(e.getValue())) {
        return Optional.of("port " + e.getValue() + " (" + e.getKey() + ") is in use by another process");
      }
    }
    return Optional.empty();
  }

  /**
   * Whether a listening socket could be opened on {@code port} now, on the wildcard address and on loopback: binds
   * and closes at once (a socket that never accepted a connection leaves no TIME_WAIT behind).
   */
  static boolean bindable(int port) {
    return bindable(new InetSocketAddress(port)) && bindable(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
  }

  private static boolean bindable(InetSocketAddress address) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(address, 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
