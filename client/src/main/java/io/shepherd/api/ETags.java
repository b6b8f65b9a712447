package io.shepherd.api;

import java.util.OptionalInt;

/** A spec's ETag is its znode version, quoted as HTTP wants. */
public final class ETags {
  private ETags() {}

  public static String of(int version) {
    return "\"" + version + "\"";
  }

  /** The version an {@code If-Match} value names, or empty when it names none (absent, {@code *}, garbage). */
  public static OptionalInt parse(String header) {
    if (header == null) {
      return OptionalInt.empty();
    }
    String value = header.trim();
    if (value.startsWith("W/")) {
      value = value.substring(2);
    }
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      value = value.substring(1, value.length() - 1);
    }
    try {
      return OptionalInt.of(Integer.parseInt(value));
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }
}
