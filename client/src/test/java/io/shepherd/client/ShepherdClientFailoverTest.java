package io.shepherd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.fake.FakeShepherdServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Moving on to the next server on connection failures, timeouts and 5xx; never repeating what is unsafe. */
class ShepherdClientFailoverTest {
  private static final ReplicaSetSpec WEB = ReplicaSetSpec.of(2, List.of("python3", "app.py"));

  private FakeShepherdServer first;
  private FakeShepherdServer second;

  @BeforeEach
  void start() throws IOException {
    first = FakeShepherdServer.start();
    second = first.peer();
    first.store().seed("web", WEB);
  }

  @AfterEach
  void stop() {
    first.close();
    second.close();
  }

  /** The URL of a port nobody listens on: connecting is refused. */
  static String closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }
  }

  private ShepherdClient client(String... urls) {
    return ShepherdClient.builder().servers(List.of(urls)).requestTimeout(Duration.ofMillis(500)).build();
  }

  @Test
  void aServerThatRefusesConnectionsIsSkippedAndLaterCallsGoStraightToTheNext() throws IOException {
    try (ShepherdClient client = client(closedPort(), second.url())) {
      assertThat(client.list()).extracting(s -> s.name()).containsExactly("web");
      assertThat(client.get("web").desired()).isEqualTo(2);

      assertThat(second.requestLines()).containsExactly("GET /api/v1/replicasets", "GET /api/v1/replicasets/web");
    }
  }

  @Test
  void aServerThatAnswers503IsSkippedAndLaterCallsGoStraightToTheNext() {
    first.answerAll(503);
    try (ShepherdClient client = client(first.url(), second.url())) {
      assertThat(client.scale("web", 4).desired()).isEqualTo(4);
      assertThat(client.get("web").desired()).isEqualTo(4);

      assertThat(first.requestLines()).containsExactly("PUT /api/v1/replicasets/web/replicas");
      assertThat(second.requestLines())
          .containsExactly("PUT /api/v1/replicasets/web/replicas", "GET /api/v1/replicasets/web");
    }
  }

  @Test
  void aServerThatDoesNotAnswerInTimeIsSkipped() {
    first.hang();
    try (ShepherdClient client = client(first.url(), second.url())) {
      assertThat(client.instances("web")).hasSize(2);

      assertThat(first.requests()).hasSize(1);
      assertThat(second.requests()).hasSize(1);
    }
  }

  @Test
  void anIdempotentWriteIsRepeatedOnTheNextServerAfterA500() {
    first.answerAll(500);
    try (ShepherdClient client = client(first.url(), second.url())) {
      assertThat(client.apply("web", WEB.withReplicas(3)).status().desired()).isEqualTo(3);
      client.delete("web");

      assertThat(second.requestLines())
          .containsExactly("PUT /api/v1/replicasets/web", "DELETE /api/v1/replicasets/web");
    }
  }

  @Test
  void whenEveryServerFailsTheErrorSaysWhichAndWhy() throws IOException {
    String closed = closedPort();
    second.answerAll(503);
    try (ShepherdClient client = client(closed, second.url())) {
      assertThatThrownBy(client::nodes).isInstanceOfSatisfying(UnavailableException.class, e -> {
        assertThat(e.failures()).extracting(f -> f.server().toString())
            .containsExactly(closed + "/api/v1", second.url() + "/api/v1");
        assertThat(e.failures()).extracting(UnavailableException.Failure::reason)
            .containsExactly("connection refused", "503 forced failure 503");
        assertThat(e.getMessage()).startsWith("no Shepherd server could serve GET /nodes: " + closed);
      });
    }
  }

  @Test
  void retriesGoRoundTheServerListAsManyTimesAsConfigured() {
    first.answerAll(503);
    try (ShepherdClient once = ShepherdClient.builder().server(first.url()).build();
         ShepherdClient thrice = ShepherdClient.builder().server(first.url()).retries(2)
             .retryBackoff(Duration.ofMillis(10)).build()) {
      assertThatThrownBy(once::leader).isInstanceOf(UnavailableException.class);
      assertThat(first.requests()).hasSize(1);

      assertThatThrownBy(thrice::leader).isInstanceOf(UnavailableException.class);
      assertThat(first.requests()).hasSize(4);
    }
  }

  @Test
  void aKillThatScalesIsNotRepeatedAfterA500BecauseItMayHaveTakenEffect() {
    first.answerAll(500);
    try (ShepherdClient client = client(first.url(), second.url())) {
      assertThatThrownBy(() -> client.killInstance("web", "web-1", true))
          .isInstanceOfSatisfying(OutcomeUnknownException.class, e -> {
            assertThat(e.server().toString()).isEqualTo(first.url() + "/api/v1");
            assertThat(e.getMessage()).contains("may or may not have taken effect");
          });

      assertThat(first.requests()).hasSize(1);
      assertThat(second.requests()).isEmpty();
      assertThat(client.get("web").desired()).isEqualTo(2);
    }
  }

  @Test
  void aKillThatScalesIsNotRepeatedAfterATimeout() {
    first.hang();
    try (ShepherdClient client = client(first.url(), second.url())) {
      assertThatThrownBy(() -> client.killInstance("web", "web-1", true))
          .isInstanceOf(OutcomeUnknownException.class);

      assertThat(second.requests()).isEmpty();
    }
  }

  @Test
  void aKillThatScalesMovesOnWhenTheServerProvablyDidNotActOnIt() throws IOException {
    second.answerAll(503);
    FakeShepherdServer third = first.peer();
    try (third; ShepherdClient client = client(closedPort(), second.url(), third.url())) {
      assertThat(client.killInstance("web", "web-1", true).desired()).isEqualTo(1);

      assertThat(second.requests()).hasSize(1);
      assertThat(third.requestLines()).containsExactly("DELETE /api/v1/replicasets/web/instances/web-1");
    }
  }

  @Test
  void withNoRetriesACallFailsAtOnceButTheNextGoesToTheNextServer() throws IOException {
    try (ShepherdClient client = ShepherdClient.builder().server(closedPort()).server(second.url()).retries(0)
        .build()) {
      assertThatThrownBy(() -> client.killInstance("web", "web-1", true)).isInstanceOf(UnavailableException.class);
      assertThat(second.requests()).isEmpty();

      assertThat(client.list()).hasSize(1);
      assertThat(second.requestLines()).containsExactly("GET /api/v1/replicasets");
    }
  }

  @Test
  void aKillThatReplacesIsIdempotentAndRepeated() {
    first.answerAll(500);
    try (ShepherdClient client = client(first.url(), second.url())) {
      assertThat(client.killInstance("web", "web-1", false).desired()).isEqualTo(2);

      assertThat(second.requests()).hasSize(1);
    }
  }
}
