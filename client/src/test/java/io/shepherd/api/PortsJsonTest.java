package io.shepherd.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ports in the REST representations: absent means none, so older servers and clients still understand each other. */
class PortsJsonTest {
  private static final ObjectMapper JSON = ShepherdJson.newMapper();

  @Test
  void anInstanceFromAServerWithoutPortsHasNone() throws Exception {
    Instance i = JSON.readValue("""
        {"id":"web-1","replicaSet":"web","node":"n1","host":"h","pid":7,"startedAt":"2030-01-01T00:00:00Z",
         "specVersion":1}""", Instance.class);

    assertThat(i.ports()).isEmpty();
  }

  @Test
  void withoutPortsTheJsonIsAsBeforePortsExisted() throws Exception {
    String spec = JSON.writeValueAsString(ReplicaSetSpec.of(1, List.of("app")));
    String instance = JSON.writeValueAsString(
        new Instance("web-1", "web", "n1", "h", 7, java.time.Instant.EPOCH, 1));

    assertThat(spec).doesNotContain("ports");
    assertThat(instance).doesNotContain("ports");
    assertThat(JSON.writeValueAsString(ReplicaSetSpec.of(1, List.of("app")).withPorts(List.of(new PortSpec("http")))))
        .contains("\"ports\":[{\"name\":\"http\"}]");
  }

  @Test
  void anInstancesPortsKeepTheirOrder() throws Exception {
    Instance i = JSON.readValue("""
        {"id":"web-1","replicaSet":"web","node":"n1","host":"h","pid":7,"startedAt":"2030-01-01T00:00:00Z",
         "specVersion":1,"ports":{"http":20017,"admin":20003}}""", Instance.class);

    assertThat(i.ports().keySet()).containsExactly("http", "admin");
    assertThat(i.ports()).isEqualTo(Map.of("http", 20_017, "admin", 20_003));
  }

  @Test
  void aSpecWithoutPortsHasNoneAndOneWithPortsNamesThem() throws Exception {
    ReplicaSetSpec without = JSON.readValue("{\"replicas\":1,\"command\":[\"app\"]}", ReplicaSetSpec.class);
    ReplicaSetSpec with =
        JSON.readValue("{\"replicas\":1,\"command\":[\"app\"],\"ports\":[{\"name\":\"http\"}]}", ReplicaSetSpec.class);

    assertThat(without.ports()).isEmpty();
    assertThat(SpecValidation.validate(without)).isEmpty();
    assertThat(with.portNames()).containsExactly("http");
    assertThat(with).isEqualTo(ReplicaSetSpec.of(1, List.of("app")).withPorts(List.of(new PortSpec("http"))));
  }

  @Test
  void validationNamesEachBadPort() {
    ReplicaSetSpec spec = ReplicaSetSpec.of(1, List.of("app")).withPorts(java.util.Arrays.asList(
        new PortSpec("http"), new PortSpec("-x"), null, new PortSpec("http"), new PortSpec("sixteen-chars-xx")));

    assertThat(SpecValidation.validate(spec)).extracting(FieldError::field)
        .containsExactly("ports[1].name", "ports[2].name", "ports[3].name", "ports[4].name");
  }

  @Test
  void atMostSixteenPorts() {
    List<PortSpec> seventeen = java.util.stream.IntStream.range(0, 17).mapToObj(n -> new PortSpec("p" + n)).toList();

    assertThat(SpecValidation.validate(ReplicaSetSpec.of(1, List.of("app")).withPorts(seventeen)))
        .extracting(FieldError::field).containsExactly("ports");
    assertThat(SpecValidation.validate(ReplicaSetSpec.of(1, List.of("app")).withPorts(seventeen.subList(0, 16))))
        .isEmpty();
  }
}
