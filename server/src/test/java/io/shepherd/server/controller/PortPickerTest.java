package io.shepherd.server.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.worker.record.PortRange;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link PortPicker} alone: one copy's ports on one node. */
class PortPickerTest {
  private static final PortRange TEN = new PortRange(20_000, 20_009);

  /** A request and the ports expected (by name), or empty when they cannot be had. */
  record Row(String behaviour, String instanceId, List<String> names, PortRange range, Set<Integer> used,
      Optional<Map<String, Integer>> expected) {
    @Override
    public String toString() {
      return behaviour;
    }
  }

  static Stream<Row> picks() {
    return Stream.of(
        new Row("no port names, no ports", "web-a", List.of(), TEN, Set.of(), Optional.of(Map.of())),
        new Row("a range of one port gives that port", "web-a", List.of("http"), new PortRange(8000, 8000), Set.of(),
            Optional.of(Map.of("http", 8000))),
        new Row("the only free port is found wherever the scan starts", "web-a", List.of("http"), TEN,
            range(20_000, 20_008), Optional.of(Map.of("http", 20_009))),
        new Row("the scan wraps around the range's end", "web-b", List.of("http"), TEN,
            range(20_001, 20_009), Optional.of(Map.of("http", 20_000))),
        new Row("ports held outside the range do not count", "web-a", List.of("http"), new PortRange(8000, 8000),
            Set.of(7999, 8001), Optional.of(Map.of("http", 8000))),
        new Row("an exhausted range gives nothing", "web-a", List.of("http"), TEN, range(20_000, 20_009),
            Optional.empty()),
        new Row("a range of one port cannot give it to two names", "web-a", List.of("http", "admin"),
            new PortRange(8000, 8000), Set.of(), Optional.empty()),
        new Row("a range with one free port cannot give two", "web-a", List.of("http", "admin"), TEN,
            range(20_001, 20_009), Optional.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("picks")
  void picksFreePortsFromTheRange(Row row) {
    assertThat(PortPicker.pick(row.instanceId(), row.names(), row.range(), row.used())).isEqualTo(row.expected());
  }

  @Test
  void theSameIdAlwaysGetsTheSamePortsAndNamesKeepTheirOrder() {
    Map<String, Integer> first = PortPicker.pick("web-k3x9q2ab", List.of("http", "admin", "metrics"),
        new PortRange(20_000, 29_999), Set.of()).orElseThrow();

    assertThat(PortPicker.pick("web-k3x9q2ab", List.of("http", "admin", "metrics"), new PortRange(20_000, 29_999),
        Set.of())).contains(first);
    assertThat(first.keySet()).containsExactly("http", "admin", "metrics");
    assertThat(new HashSet<>(first.values())).hasSize(3).allMatch(p -> p >= 20_000 && p <= 29_999);
  }

  @Test
  void twoNamesGetTheTwoFreePortsOneEach() {
    Map<String, Integer> ports =
        PortPicker.pick("web-a", List.of("http", "admin"), TEN, range(20_002, 20_009)).orElseThrow();

    assertThat(ports.keySet()).containsExactly("http", "admin");
    assertThat(ports.values()).containsExactlyInAnyOrder(20_000, 20_001);
  }

  @ParameterizedTest(name = "{0} starts its scan at {1} on every server")
  @org.junit.jupiter.params.provider.CsvSource({"web-k3x9q2ab, 29790", "web-k3x9q2ac, 29507", "api-00000000, 25922"})
  void theScanStartIsAFixedFunctionOfTheId(String id, int start) {
    // String.hashCode is specified by the language, and the mix is plain arithmetic: every JVM agrees.
    assertThat(PortPicker.pick(id, List.of("http"), new PortRange(20_000, 29_999), Set.of())).contains(Map.of("http", start));
  }

  @Test
  void differentIdsStartAtSpreadPositions() {
    PortRange range = new PortRange(20_000, 29_999);
    Set<Integer> firstPorts = IntStream.range(0, 100)
        .mapToObj(i -> PortPicker.pick("web-" + i, List.of("http"), range, Set.of()).orElseThrow().get("http"))
        .collect(Collectors.toSet());

    // Sequential ids do not pile up at one spot: nearly all of a hundred land on different ports, across the range.
    assertThat(firstPorts).hasSizeGreaterThan(95);
    assertThat(firstPorts.stream().filter(p -> p < 25_000).count()).isBetween(25L, 75L);
  }

  private static Set<Integer> range(int from, int to) {
    return IntStream.rangeClosed(from, to).boxed().collect(Collectors.toSet());
  }
}
