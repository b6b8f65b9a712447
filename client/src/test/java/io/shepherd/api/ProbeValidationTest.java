package io.shepherd.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The rules of a spec's probes: each refusal names its field; absent probes leave the JSON as it was. */
class ProbeValidationTest {
  private static final ObjectMapper JSON = ShepherdJson.newMapper();
  private static final ReplicaSetSpec WEB =
      ReplicaSetSpec.of(1, List.of("app")).withPorts(List.of(new PortSpec("http"), new PortSpec("admin")));

  static Stream<Arguments> refusals() {
    Probe tcp = Probe.tcp("http");
    return Stream.of(
        row("a probe of no kind", s -> s.withProbes(null, null,
            new Probe(null, null, null, null, null, null, null, null)), "readiness"),
        row("a probe of two kinds", s -> s.withProbes(null,
            new Probe(new Probe.Exec(List.of("true")), null, new Probe.Tcp("http"), null, null, null, null, null),
            null), "liveness"),
        row("an http probe on an undeclared port", s -> s.withProbes(null, null, Probe.http("metrics", "/")),
            "readiness.http.port"),
        row("an http probe without a port", s -> s.withProbes(null, Probe.http(null, "/"), null),
            "liveness.http.port"),
        row("a tcp probe on an undeclared port", s -> s.withProbes(Probe.tcp("grpc"), null, null),
            "startup.tcp.port"),
        row("any port probe of a spec without ports", s -> s.withPorts(List.of()).withProbes(null, null, tcp),
            "readiness.tcp.port"),
        row("an http path without a leading slash", s -> s.withProbes(null, null, Probe.http("http", "healthz")),
            "readiness.http.path"),
        row("an http path with a space", s -> s.withProbes(null, null, Probe.http("http", "/a b")),
            "readiness.http.path"),
        row("an exec probe with an empty argv", s -> s.withProbes(null, null, Probe.exec(List.of())),
            "readiness.exec.command"),
        row("an exec probe without an argv", s -> s.withProbes(null, null, Probe.exec(null)),
            "readiness.exec.command"),
        row("an exec probe with a null argument", s -> s.withProbes(null, null, Probe.exec(
            java.util.Arrays.asList("test", null))), "readiness.exec.command[1]"),
        row("an exec probe whose program is an option", s -> s.withProbes(null, null, Probe.exec(List.of("-f"))),
            "readiness.exec.command[0]"),
        row("a liveness success threshold of 2", s -> s.withProbes(null, tcp.withTimings(0, 10, 10, 3, 2), null),
            "liveness.successThreshold"),
        row("a startup success threshold of 2", s -> s.withProbes(tcp.withTimings(0, 10, 10, 3, 2), null, null),
            "startup.successThreshold"),
        row("a readiness success threshold of 0", s -> s.withProbes(null, null, tcp.withTimings(0, 10, 10, 3, 0)),
            "readiness.successThreshold"),
        row("a readiness success threshold of 1001", s -> s.withProbes(null, null,
            tcp.withTimings(0, 10, 10, 3, 1001)), "readiness.successThreshold"),
        row("a negative initial delay", s -> s.withProbes(null, null, tcp.withTimings(-1, 10, 10, 3, 1)),
            "readiness.initialDelayMs"),
        row("an initial delay over an hour", s -> s.withProbes(null, null, tcp.withTimings(3_600_001, 10, 10, 3, 1)),
            "readiness.initialDelayMs"),
        row("a period of 0", s -> s.withProbes(null, null, tcp.withTimings(0, 0, 10, 3, 1)), "readiness.periodMs"),
        row("a period over an hour", s -> s.withProbes(null, null, tcp.withTimings(0, 3_600_001, 10, 3, 1)),
            "readiness.periodMs"),
        row("a timeout of 0", s -> s.withProbes(null, null, tcp.withTimings(0, 10, 0, 3, 1)), "readiness.timeoutMs"),
        row("a timeout over an hour", s -> s.withProbes(null, null, tcp.withTimings(0, 10, 3_600_001, 3, 1)),
            "readiness.timeoutMs"),
        row("a failure threshold of 0", s -> s.withProbes(null, null, tcp.withTimings(0, 10, 10, 0, 1)),
            "readiness.failureThreshold"),
        row("a failure threshold of 1001", s -> s.withProbes(null, null, tcp.withTimings(0, 10, 10, 1001, 1)),
            "readiness.failureThreshold"));
  }

  private static Arguments row(String what, UnaryOperator<ReplicaSetSpec> change, String field) {
    return Arguments.of(what, change, field);
  }

  @ParameterizedTest(name = "{0} is refused naming {2}")
  @MethodSource("refusals")
  void badProbesAreRefusedNamingTheField(String what, UnaryOperator<ReplicaSetSpec> change, String field) {
    assertThat(SpecValidation.validate(change.apply(WEB))).extracting(FieldError::field).containsExactly(field);
  }

  @Test
  void probesAtEveryBoundAreAccepted() {
    Probe low = Probe.tcp("http").withTimings(0, 1, 1, 1, 1);
    Probe high = Probe.http("admin", "/healthz?full=1").withTimings(3_600_000, 3_600_000, 3_600_000, 1000, 1000);
    Probe exec = Probe.exec(List.of("test", "-f", "/tmp/ready")).withTimings(0, 1, 1, 1000, 1);

    assertThat(SpecValidation.validate(WEB.withProbes(low, exec, high))).isEmpty();
  }

  @Test
  void aProbeHasKubernetesDefaults() throws Exception {
    Probe p = JSON.readValue("{\"http\":{\"port\":\"http\"}}", Probe.class);

    assertThat(p.http()).isEqualTo(new Probe.Http("http", "/"));
    assertThat(List.of(p.initialDelayMs(), p.periodMs(), p.timeoutMs())).containsExactly(0L, 10_000L, 1_000L);
    assertThat(List.of(p.failureThreshold(), p.successThreshold())).containsExactly(3, 1);
  }

  @Test
  void aSpecWithoutProbesIsWrittenAsBefore() throws Exception {
    String json = JSON.writeValueAsString(ReplicaSetSpec.of(1, List.of("app")));

    assertThat(json).doesNotContain("startup", "liveness", "readiness");
  }

  @Test
  void probesSurviveARoundTrip() throws Exception {
    ReplicaSetSpec spec = WEB.withProbes(Probe.tcp("http"), Probe.exec(List.of("true")),
        Probe.http("admin", "/ready").withTimings(5, 200, 100, 2, 2));

    assertThat(JSON.readValue(JSON.writeValueAsString(spec), ReplicaSetSpec.class)).isEqualTo(spec);
  }
}
