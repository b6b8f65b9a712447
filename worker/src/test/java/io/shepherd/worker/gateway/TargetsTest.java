package io.shepherd.worker.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.worker.record.InstanceRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which instances a gateway sends connections to: the ready ones of the set that have the target port. */
class TargetsTest {
  private static InstanceRecord instance(String id, String set, String host, Map<String, Integer> ports,
      boolean ready) {
    return new InstanceRecord(id, set, "n1", host, 1, Instant.EPOCH, 1, ports, ready);
  }

  static Stream<Arguments> table() {
    InstanceRecord readyB = instance("web-b", "web", "h2", Map.of("http", 20_002), true);
    InstanceRecord readyA = instance("web-a", "web", "h1", Map.of("http", 20_001, "admin", 20_009), true);
    InstanceRecord unready = instance("web-c", "web", "h1", Map.of("http", 20_003), false);
    InstanceRecord otherPort = instance("web-d", "web", "h1", Map.of("admin", 20_004), true);
    InstanceRecord otherSet = instance("api-a", "api", "h1", Map.of("http", 20_005), true);
    return Stream.of(
        Arguments.of("no instances: no targets", List.of(), List.of()),
        Arguments.of("ready instances, ordered by id, at their host and target port", List.of(readyB, readyA),
            List.of(new Target("web-a", "h1", 20_001), new Target("web-b", "h2", 20_002))),
        Arguments.of("an unready instance is skipped", List.of(unready, readyA),
            List.of(new Target("web-a", "h1", 20_001))),
        Arguments.of("an instance without the target port is skipped", List.of(otherPort),
            List.of()),
        Arguments.of("another set's instance is skipped", List.of(otherSet, readyB),
            List.of(new Target("web-b", "h2", 20_002))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void readyInstancesWithTheTargetPort(String row, List<InstanceRecord> instances, List<Target> expected) {
    assertThat(Targets.of("web", "http", instances)).containsExactlyElementsOf(expected);
  }
}
