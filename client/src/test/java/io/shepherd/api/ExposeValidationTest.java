package io.shepherd.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code expose}: a port in 1..65535 and the name of one of the spec's ports; absent means not exposed. */
class ExposeValidationTest {
  private static final ObjectMapper JSON = ShepherdJson.newMapper();
  private static final ReplicaSetSpec WEB = ReplicaSetSpec.of(1, List.of("app")).withPorts(List.of(new PortSpec("http")));

  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of("a port and a named target", new Expose(9000, "http"), List.of()),
        Arguments.of("the lowest port (agents decide whether they may bind it)", new Expose(1, "http"), List.of()),
        Arguments.of("the highest port", new Expose(65_535, "http"), List.of()),
        Arguments.of("port 0", new Expose(0, "http"), List.of("expose.port")),
        Arguments.of("a port above 65535", new Expose(65_536, "http"), List.of("expose.port")),
        Arguments.of("no port", new Expose(null, "http"), List.of("expose.port")),
        Arguments.of("a target that is not one of the ports", new Expose(9000, "admin"), List.of("expose.targetPort")),
        Arguments.of("no target", new Expose(9000, null), List.of("expose.targetPort")),
        Arguments.of("both wrong", new Expose(-1, ""), List.of("expose.port", "expose.targetPort")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void eachRefusalNamesItsField(String row, Expose expose, List<String> fields) {
    assertThat(SpecValidation.validate(WEB.withExpose(expose))).extracting(FieldError::field)
        .containsExactlyElementsOf(fields);
  }

  @Test
  void aSpecWithoutPortsCannotExposeOne() {
    assertThat(SpecValidation.validate(ReplicaSetSpec.of(1, List.of("app")).withExpose(new Expose(9000, "http"))))
        .extracting(FieldError::field).containsExactly("expose.targetPort");
  }

  @Test
  void exposeIsAbsentFromTheJsonOfASetThatIsNotExposedAndReadBackWhenItIs() throws Exception {
    assertThat(JSON.writeValueAsString(WEB)).doesNotContain("expose");
    ReplicaSetSpec read = JSON.readValue("""
        {"replicas":1,"command":["app"],"ports":[{"name":"http"}],"expose":{"port":9000,"targetPort":"http"}}""",
        ReplicaSetSpec.class);

    assertThat(read.expose()).isEqualTo(new Expose(9000, "http"));
    assertThat(read).isEqualTo(WEB.withExpose(new Expose(9000, "http")));
    assertThat(JSON.readValue(JSON.writeValueAsString(read), ReplicaSetSpec.class)).isEqualTo(read);
  }
}
