package io.shepherd.server.controller;

import java.security.SecureRandom;

/**
 * Where the ids of new copies come from: {@code {replicaSet}-{8 random chars}} in a server. The {@link Reconciler}
 * takes them as an input, so that its decisions (the ports a copy gets depend on its id) stay a pure function of what
 * it is given; tests give it ids they chose.
 */
@FunctionalInterface
public interface InstanceIds {
  /** A new, unique id for a copy of {@code replicaSet}. */
  String next(String replicaSet);

  /** Random ids, as a server makes them. */
  static InstanceIds random() {
    SecureRandom random = new SecureRandom();
    char[] chars = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    return replicaSet -> {
      char[] suffix = new char[8];
      for (int i = 0; i < suffix.length; i++) {
        suffix[i] = chars[random.nextInt(chars.length)];
      }
      return replicaSet + "-" + new String(suffix);
    };
  }
}
