package io.shepherd.worker.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Privileged ports are bound only when the agent's configuration allows it, and the refusal says how to allow it. */
class PortPolicyTest {
  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of(9000, false, null),
        Arguments.of(1024, false, null),
        Arguments.of(65_535, false, null),
        Arguments.of(1023, false, "agent.gateway.allowPrivileged"),
        Arguments.of(80, false, "privileged"),
        Arguments.of(80, true, null),
        Arguments.of(0, true, "not a TCP port"),
        Arguments.of(65_536, true, "not a TCP port"));
  }

  @ParameterizedTest(name = "port {0}, privileged allowed: {1}")
  @MethodSource("table")
  void refusesPrivilegedPortsUnlessAllowed(int port, boolean allowPrivileged, String refusalMentions) {
    if (refusalMentions == null) {
      assertThat(PortPolicy.refusal(port, allowPrivileged)).isEmpty();
    } else {
      assertThat(PortPolicy.refusal(port, allowPrivileged)).hasValueSatisfying(r -> assertThat(r)
          .contains(refusalMentions).contains(Integer.toString(port)));
    }
  }
}
