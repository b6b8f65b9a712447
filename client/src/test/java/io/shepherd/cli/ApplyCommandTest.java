package io.shepherd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.ReplicaSetStatus;
import io.shepherd.api.ShepherdJson;
import io.shepherd.fake.FakeShepherdServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code shepherd apply -f}: the file format, its checks before sending, and the answers. */
class ApplyCommandTest {
  private static final ObjectMapper JSON = ShepherdJson.newMapper();
  private static final ReplicaSetSpec WEB = ReplicaSetSpec.of(3, List.of("python3", "-m", "http.server", "8080"));

  @TempDir Path dir;
  private FakeShepherdServer server;

  @BeforeEach
  void start() throws IOException {
    server = FakeShepherdServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private CliRun shepherd(String... args) {
    return CliRun.run(Map.of("SHEPHERD_SERVERS", server.url()), "", args);
  }

  private Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  @Test
  void applyCreatesFromYamlThenConfigures() throws IOException {
    Path yaml = file("web.yaml", """
        name: web
        replicas: 3
        command: [python3, -m, http.server, 8080]
        env: {PYTHONUNBUFFERED: "1"}
        """);

    CliRun created = shepherd("apply", "-f", yaml.toString());
    CliRun configured = shepherd("apply", "-f", yaml.toString());

    assertThat(created.exit()).as(created.toString()).isZero();
    assertThat(created.out()).isEqualTo("replicaset/web created (version 1, 3 desired)\n");
    assertThat(configured.out()).isEqualTo("replicaset/web configured (version 2, 3 desired)\n");
    ReplicaSetSpec sent = JSON.readValue(server.requests().get(0).body(), ReplicaSetSpec.class);
    assertThat(sent).isEqualTo(WEB.withEnv(Map.of("PYTHONUNBUFFERED", "1")));
    assertThat(server.requests().get(0).line()).isEqualTo("PUT /api/v1/replicasets/web");
  }

  @Test
  void applyReadsJsonAndStandardInputAndPrintsJsonOnRequest() throws IOException {
    String json = "{\"name\":\"web\",\"replicas\":3,\"command\":[\"python3\",\"-m\",\"http.server\",\"8080\"]}";
    Path file = file("web.json", json);

    CliRun fromFile = shepherd("apply", "-f", file.toString(), "-o", "json");
    CliRun fromStdin = CliRun.run(Map.of("SHEPHERD_SERVERS", server.url()), json, "apply", "-f", "-");

    assertThat(fromFile.exit()).as(fromFile.toString()).isZero();
    ReplicaSetStatus status = JSON.readValue(fromFile.out(), ReplicaSetStatus.class);
    assertThat(status.spec()).isEqualTo(WEB);
    assertThat(status.version()).isEqualTo(1);
    assertThat(fromStdin.out()).isEqualTo("replicaset/web configured (version 2, 3 desired)\n");
  }

  @Test
  void anInvalidSpecIsRefusedLocallyWithTheFieldNamedAndExitCode2() throws IOException {
    Path yaml = file("web.yaml", "name: web\nreplicas: 20000\ncommand: [app]\n");

    CliRun run = shepherd("apply", "-f", yaml.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("shepherd: " + yaml + ": replicas: must be between 0 and 10000\n");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void theWebExampleNamesItsPortAndUsesItInTheArgv() {
    SpecFile.Named web = SpecFile.read("../conf/examples/web.json", InputStream.nullInputStream());

    assertThat(web.name()).isEqualTo("web");
    assertThat(web.spec().portNames()).containsExactly("http");
    assertThat(web.spec().command()).contains("${PORT}");
    assertThat(web.spec().readiness().http()).isEqualTo(new io.shepherd.api.Probe.Http("http", "/"));
    assertThat(web.spec().expose()).isEqualTo(new io.shepherd.api.Expose(9000, "http"));
    assertThat(io.shepherd.api.SpecValidation.validate(web.spec())).isEmpty();
  }

  @Test
  void aBadPortNameIsRefusedLocallyWithTheFieldNamedAndExitCode2() throws IOException {
    Path yaml = file("web.yaml", "name: web\nreplicas: 1\ncommand: [app]\nports: [{name: http}, {name: HTTP_2}]\n");

    CliRun run = shepherd("apply", "-f", yaml.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("shepherd: " + yaml + ": ports[1].name: must be 1-15 lowercase letters");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void aReadinessProbeOnAnUndeclaredPortIsRefusedLocallyWithExitCode2() throws IOException {
    Path yaml = file("web.yaml", "name: web\nreplicas: 1\ncommand: [app]\nports: [{name: http}]\n"
        + "readiness: {http: {port: admin, path: /}}\n");

    CliRun run = shepherd("apply", "-f", yaml.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("shepherd: " + yaml + ": readiness.http.port: must name one of the spec's ports");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void badFilesAreRefusedWithAOneLineMessageAndExitCode2() throws IOException {
    Path misspelt = file("a.yaml", "name: web\nreplica: 3\ncommand: [app]\n");
    Path wrongType = file("b.yaml", "name: web\nreplicas: three\ncommand: [app]\n");
    Path noName = file("c.json", "{\"replicas\": 1, \"command\": [\"app\"]}");
    Path badName = file("d.yaml", "name: Web_1\nreplicas: 1\ncommand: [app]\n");
    Path broken = file("e.json", "{\"name\": \"web\", ");
    Path list = file("f.yaml", "- name: web\n");
    Path shell = file("g.yaml", "name: web\nreplicas: 1\ncommand: python3 app.py\n");

    assertBadInput(shepherd("apply", "-f", misspelt.toString()), misspelt + ": replica: unknown field (known fields:");
    assertBadInput(shepherd("apply", "-f", wrongType.toString()),
        wrongType + ": replicas: 'three' is not a whole number");
    assertBadInput(shepherd("apply", "-f", noName.toString()), noName + ": name: is required, a string");
    assertBadInput(shepherd("apply", "-f", badName.toString()), badName + ": name: must be a DNS label");
    assertBadInput(shepherd("apply", "-f", broken.toString()), broken + ": not valid JSON at line 1");
    assertBadInput(shepherd("apply", "-f", list.toString()), list + ": must hold one replica set");
    assertBadInput(shepherd("apply", "-f", shell.toString()),
        shell + ": command: must be a list of arguments, e.g. [python3, app.py]");
    Path missing = dir.resolve("missing.yaml");
    assertBadInput(shepherd("apply", "-f", missing.toString()), missing + ": no such file");
    assertThat(server.requests()).isEmpty();
  }

  private static void assertBadInput(CliRun run, String messageStart) {
    assertThat(run.exit()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).startsWith("shepherd: " + messageStart.replace("shepherd: ", ""));
    assertThat(run.err().strip()).doesNotContain("\n");
    assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception");
  }

  @Test
  void applyWithAStaleVersionIsRefusedWithExitCode1() throws IOException {
    server.store().seed("web", WEB);
    server.store().seed("web", WEB);
    Path yaml = file("web.yaml", "name: web\nreplicas: 1\ncommand: [app]\n");

    CliRun run = shepherd("apply", "-f", yaml.toString(), "--if-match", "1");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("shepherd: replica set web is not at version 1 but at 2\n");
    assertThat(server.requests().get(0).header("If-Match")).contains("\"1\"");
  }
}
