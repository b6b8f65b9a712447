package io.shepherd.worker.agent;

import io.shepherd.worker.record.ConfigFile;
import io.shepherd.worker.record.RecordCodec;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a copy's config file holds for a set of configuration values. Pure.
 *
 * <ul>
 *   <li>{@code json}: one object, key to value, sorted by key;</li>
 *   <li>{@code env}: one {@code NAME='value'} line per key, sorted, the name upper-cased with every character that is
 *   not a letter, digit or '_' made '_' ({@code background-color} is {@code BACKGROUND_COLOR}), the value
 *   single-quoted the way a POSIX shell reads it back ({@code . ./app.env} or {@code set -a}).</li>
 * </ul>
 */
final class ConfigFileRender {
  private ConfigFileRender() {}

  static byte[] render(Map<String, String> values, String format) {
    Map<String, String> sorted = new TreeMap<>(values);
    if (format.equals(ConfigFile.ENV)) {
      StringBuilder out = new StringBuilder();
      sorted.forEach((key, value) -> out.append(envName(key)).append('=').append(quoted(value)).append('\n'));
      return out.toString().getBytes(StandardCharsets.UTF_8);
    }
    byte[] json = RecordCodec.write(sorted);
    byte[] withNewline = new byte[json.length + 1];
    System.arraycopy(json, 0, withNewline, 0, json.length);
    withNewline[json.length] = '\n';
    return withNewline;
  }

  static String envName(String key) {
    String name = key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
    return Character.isDigit(name.charAt(0)) ? "_" + name : name;
  }

  private static String quoted(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }
}
