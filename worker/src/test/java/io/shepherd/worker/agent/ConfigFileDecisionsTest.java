package io.shepherd.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.worker.record.ConfigFile;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What a config file holds, and what a change of the values does to a copy. */
class ConfigFileDecisionsTest {
  static Stream<Arguments> changes() {
    return Stream.of(
        Arguments.of("the same values: nothing", "restart", false, new ConfigFileChange.Unchanged()),
        Arguments.of("none: the file is rewritten", "none", true, new ConfigFileChange.Write()),
        Arguments.of("signal:HUP: rewritten and signalled", "signal:HUP", true, new ConfigFileChange.Signal("HUP")),
        Arguments.of("signal:USR1: rewritten and signalled", "signal:USR1", true,
            new ConfigFileChange.Signal("USR1")),
        Arguments.of("restart: only rewritten, the server's rolling restart replaces the copy", "restart", true,
            new ConfigFileChange.Write()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("changes")
  void decides(String name, String onChange, boolean changed, ConfigFileChange.Action expected) {
    assertThat(ConfigFileChange.decide(new ConfigFile("app.json", "json", onChange), changed)).isEqualTo(expected);
  }

  @Test
  void jsonIsOneSortedObject() {
    byte[] out = ConfigFileRender.render(Map.of("b", "2", "a", "it's \"1\""), ConfigFile.JSON);

    assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo("{\"a\":\"it's \\\"1\\\"\",\"b\":\"2\"}\n");
  }

  @Test
  void envIsOneQuotedLinePerKeyWithShellNames() {
    byte[] out = ConfigFileRender.render(Map.of("background-color", "#ccc", "motto", "it's $HOME", "1st", "x"),
        ConfigFile.ENV);

    assertThat(new String(out, StandardCharsets.UTF_8))
        .isEqualTo("_1ST='x'\nBACKGROUND_COLOR='#ccc'\nMOTTO='it'\\''s $HOME'\n");
  }

  @Test
  void noValuesIsAnEmptyObjectOrAnEmptyFile() {
    assertThat(new String(ConfigFileRender.render(Map.of(), ConfigFile.JSON), StandardCharsets.UTF_8))
        .isEqualTo("{}\n");
    assertThat(ConfigFileRender.render(Map.of(), ConfigFile.ENV)).isEmpty();
  }
}
