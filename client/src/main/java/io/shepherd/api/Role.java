package io.shepherd.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/**
 * What an API token may do. Each role includes the ones below it: {@link #VIEWER} reads (replica sets, instances,
 * nodes, leader, events, metrics); {@link #OPERATOR} also writes specs, scales, stops and restarts copies, sets
 * configuration values, controls rollouts and reads logs; {@link #ADMIN} also manages tokens and the breaker.
 */
public enum Role {
  VIEWER,
  OPERATOR,
  ADMIN;

  /** The role's name on the wire and in {@code @RolesAllowed}: lower case. */
  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether a token of this role may do what {@code needed} may. */
  public boolean includes(Role needed) {
    return compareTo(needed) >= 0;
  }

  /** The role named {@code id} ("viewer", "operator", "admin"), if any. */
  public static Optional<Role> parse(String id) {
    for (Role r : values()) {
      if (r.id().equals(id)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  @JsonCreator
  static Role fromJson(String id) {
    return parse(id).orElseThrow(() -> new IllegalArgumentException(
        "role must be viewer, operator or admin, got '" + id + "'"));
  }
}
