package io.shepherd.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.OnPartition;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CopyPortsTest {
  private static final Map<String, Integer> PORTS = new LinkedHashMap<>();

  static {
    PORTS.put("http", 20017);
    PORTS.put("admin-ui", 20400);
  }

  @ParameterizedTest(name = "{0}: ''{1}'' becomes ''{2}''")
  @CsvSource(delimiter = '|', value = {
      "the first port                 | ${PORT}                  | 20017",
      "a named port                   | ${PORT_HTTP}             | 20017",
      "a name with a dash             | --admin=${PORT_ADMIN_UI} | --admin=20400",
      "two in one element             | ${PORT}:${PORT_ADMIN_UI} | 20017:20400",
      "an unknown name stays          | ${PORT_GRPC}             | ${PORT_GRPC}",
      "another variable stays         | ${HOME}/x                | ${HOME}/x",
      "an unclosed placeholder stays  | ${PORT                   | ${PORT",
      "the lower-case name stays      | ${PORT_http}             | ${PORT_http}",
      "no placeholder                 | 8080                     | 8080",
  })
  void placeholdersAreReplacedInEachElement(String what, String arg, String expected) {
    assertThat(CopyPorts.argv(List.of("app", arg), PORTS)).containsExactly("app", expected);
  }

  @Test
  void withoutPortsTheArgvIsUntouched() {
    assertThat(CopyPorts.argv(List.of("app", "${PORT}"), Map.of())).containsExactly("app", "${PORT}");
  }

  @Test
  void theEnvironmentNamesTheFirstPortAndEachByName() {
    assertThat(CopyPorts.environment(PORTS))
        .isEqualTo(Map.of("PORT", "20017", "PORT_HTTP", "20017", "PORT_ADMIN_UI", "20400"));
    assertThat(CopyPorts.environment(Map.of())).isEmpty();
  }

  @Test
  void theFirstPortThatCannotBeBoundIsNamed() {
    AssignmentRecord a = AssignmentRecord.assigned("web-1", "web", "n1", List.of("app"), Map.of(), Optional.empty(),
        0, OnPartition.KEEP_RUNNING, 1, 1, Instant.EPOCH, PORTS);

    assertThat(CopyPorts.unavailable(a, port -> port != 20400)).contains("port 20400 (admin-ui) is in use by another process");
    assertThat(CopyPorts.unavailable(a, port -> true)).isEmpty();
  }
}
