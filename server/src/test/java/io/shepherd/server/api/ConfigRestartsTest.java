package io.shepherd.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.api.ConfigFileSpec;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.api.ConfigRestarts.Outcome;
import io.shepherd.server.state.StoredReplicaSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a write of a configuration value does, from the value and the spec as the write read them. */
class ConfigRestartsTest {

  /**
   * @param current  the value read ({@code -} for none)
   * @param wanted   the value asked for ({@code -} for a delete)
   * @param set      the set read: {@code absent}, or its config file's {@code onChange} ({@code no-file} for none),
   *                 with {@code +deleting} when it is being deleted
   */
  @ParameterizedTest(name = "{0} -> {1} on a set {2}: {3}")
  @CsvSource(delimiter = '|', value = {
      // nothing to change: nothing written, whatever the set says
      "blue | blue | restart          | UNCHANGED",
      "blue | blue | none             | UNCHANGED",
      "''   | ''   | restart          | UNCHANGED",
      "-    | -    | restart          | UNCHANGED",
      // a change of a set whose file restarts on change: the value and the restart
      "blue | red  | restart          | WRITE_AND_RESTART",
      "-    | red  | restart          | WRITE_AND_RESTART",
      "blue | -    | restart          | WRITE_AND_RESTART",
      "blue | ''   | restart          | WRITE_AND_RESTART",
      "''   | -    | restart          | WRITE_AND_RESTART",
      // a change of any other set: the value alone
      "blue | red  | none             | WRITE",
      "blue | red  | signal:HUP       | WRITE",
      "blue | red  | no-file          | WRITE",
      "blue | -    | signal:HUP       | WRITE",
      "blue | red  | absent           | WRITE",
      "-    | red  | absent           | WRITE",
      "blue | red  | restart+deleting | WRITE",
      "blue | -    | restart+deleting | WRITE",
      "blue | red  | none+deleting    | WRITE",
  })
  void whatAWriteDoes(String current, String wanted, String set, Outcome expected) {
    assertThat(ConfigRestarts.decide(value(current), value(wanted), set(set))).isEqualTo(expected);
  }

  private static Optional<String> value(String cell) {
    return "-".equals(cell) ? Optional.empty() : Optional.of(cell);
  }

  private static Optional<StoredReplicaSet> set(String cell) {
    if (cell.equals("absent")) {
      return Optional.empty();
    }
    String onChange = cell.replace("+deleting", "");
    ConfigFileSpec file = onChange.equals("no-file") ? null : new ConfigFileSpec("app.env", "env", onChange);
    ReplicaSetSpec spec = ReplicaSetSpec.of(3, List.of("sleep", "60")).withConfigFile(file);
    return Optional.of(new StoredReplicaSet(spec, cell.endsWith("+deleting")));
  }
}
