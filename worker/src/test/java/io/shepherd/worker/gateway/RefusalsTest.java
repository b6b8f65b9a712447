package io.shepherd.worker.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.worker.record.ExposedRecord;
import io.shepherd.worker.record.RefusedPort;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** An agent publishes the exposed ports it does not listen on and why, by port, and nothing else. */
class RefusalsTest {
  private static final ExposedRecord WEB = new ExposedRecord("web", "http");
  private static final ExposedRecord API = new ExposedRecord("api", "http");
  private static final String PRIVILEGED = "port 80 is privileged (below 1024); set agent.gateway.allowPrivileged";
  private static final String IN_USE = "cannot bind 127.0.0.1:9000: Address already in use";

  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of("nothing exposed", Map.of(), Set.of(), Map.of(), List.of()),
        Arguments.of("every port served", Map.of(9000, WEB), Set.of(9000), Map.of(), List.of()),
        Arguments.of("a privileged port refused", Map.of(80, WEB, 9001, API), Set.of(9001), Map.of(80, PRIVILEGED),
            List.of(new RefusedPort(80, "web", PRIVILEGED))),
        Arguments.of("a port in use", Map.of(9000, WEB), Set.of(), Map.of(9000, IN_USE),
            List.of(new RefusedPort(9000, "web", IN_USE))),
        Arguments.of("both, by port", Map.of(9000, API, 80, WEB), Set.of(), Map.of(9000, IN_USE, 80, PRIVILEGED),
            List.of(new RefusedPort(80, "web", PRIVILEGED), new RefusedPort(9000, "api", IN_USE))),
        Arguments.of("the set now behind the port is named", Map.of(80, API), Set.of(), Map.of(80, PRIVILEGED),
            List.of(new RefusedPort(80, "api", PRIVILEGED))),
        Arguments.of("bound since its last failure", Map.of(9000, WEB), Set.of(9000), Map.of(9000, IN_USE),
            List.of()),
        Arguments.of("no longer exposed", Map.of(), Set.of(), Map.of(80, PRIVILEGED), List.of()),
        Arguments.of("not tried yet", Map.of(9000, WEB), Set.of(), Map.of(), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void publishesThePortsNotListenedOnWithTheirReason(String name, Map<Integer, ExposedRecord> wanted,
      Set<Integer> listening, Map<Integer, String> whyNot, List<RefusedPort> published) {
    assertThat(Refusals.of(wanted, listening, whyNot)).isEqualTo(published);
  }
}
