package io.shepherd.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The rules of a spec's configFile: each refusal names its field; an absent one leaves the JSON as it was. */
class ConfigFileValidationTest {
  private static final ObjectMapper JSON = ShepherdJson.newMapper();
  private static final ReplicaSetSpec APP = ReplicaSetSpec.of(1, List.of("app"));

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of("no path", new ConfigFileSpec(null, null, null), "configFile.path"),
        Arguments.of("an empty path", new ConfigFileSpec("", null, null), "configFile.path"),
        Arguments.of("an absolute path", new ConfigFileSpec("/etc/app.json", null, null), "configFile.path"),
        Arguments.of("a path that climbs out", new ConfigFileSpec("../app.json", null, null), "configFile.path"),
        Arguments.of("a path that climbs out midway", new ConfigFileSpec("conf/../../x", null, null),
            "configFile.path"),
        Arguments.of("a directory", new ConfigFileSpec("conf/", null, null), "configFile.path"),
        Arguments.of("a path with '//'", new ConfigFileSpec("conf//app.json", null, null), "configFile.path"),
        Arguments.of("an unknown format", new ConfigFileSpec("app.yaml", "yaml", null), "configFile.format"),
        Arguments.of("an unknown change policy", new ConfigFileSpec("app.json", null, "reload"),
            "configFile.onChange"),
        Arguments.of("a signal that is not offered", new ConfigFileSpec("app.json", null, "signal:KILL"),
            "configFile.onChange"));
  }

  @ParameterizedTest(name = "{0} is refused, naming {2}")
  @MethodSource("refusals")
  void refuses(String name, ConfigFileSpec file, String field) {
    assertThat(SpecValidation.validate(APP.withConfigFile(file))).extracting(FieldError::field).containsExactly(field);
  }

  static Stream<ConfigFileSpec> accepted() {
    return Stream.of(new ConfigFileSpec("app.json", null, null), new ConfigFileSpec("conf/app.env", "env", "restart"),
        new ConfigFileSpec("app.json", "json", "signal:HUP"), new ConfigFileSpec("a..b.json", "json", "none"));
  }

  @ParameterizedTest
  @MethodSource("accepted")
  void accepts(ConfigFileSpec file) {
    assertThat(SpecValidation.validate(APP.withConfigFile(file))).isEmpty();
  }

  @Test
  void defaultsAreJsonAndNoneAndAnAbsentFileLeavesTheJsonAsItWas() throws Exception {
    ReplicaSetSpec read = JSON.readValue("{\"replicas\":1,\"command\":[\"app\"],\"configFile\":{\"path\":\"a.json\"}}",
        ReplicaSetSpec.class);

    assertThat(read.configFile()).isEqualTo(new ConfigFileSpec("a.json", "json", "none"));
    assertThat(JSON.writeValueAsString(APP)).doesNotContain("configFile");
  }
}
