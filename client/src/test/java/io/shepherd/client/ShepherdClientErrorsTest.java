package io.shepherd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.fake.FakeShepherdServer;
import java.io.IOException;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a server's refusals become: typed exceptions carrying the server's word and the field at fault. */
class ShepherdClientErrorsTest {
  private static final ReplicaSetSpec WEB = ReplicaSetSpec.of(2, List.of("python3", "app.py"));

  private FakeShepherdServer server;
  private ShepherdClient client;

  @BeforeEach
  void start() throws IOException {
    server = FakeShepherdServer.start();
    client = ShepherdClient.builder().server(server.url()).build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void anUpdateWithTheCurrentVersionSendsIfMatchAndSucceeds() {
    int version = client.apply("web", WEB).version();

    Applied updated = client.apply("web", WEB.withReplicas(4), version);

    assertThat(server.requests().get(1).header("If-Match")).contains("\"1\"");
    assertThat(updated.version()).isEqualTo(version + 1);
    assertThat(client.get("web").etag()).isEqualTo("\"2\"");
  }

  @Test
  void anUpdateWithAStaleVersionIsRefusedWithPreconditionFailed() {
    int stale = client.apply("web", WEB).version();
    client.scale("web", 3);

    assertThatThrownBy(() -> client.apply("web", WEB.withReplicas(4), stale))
        .isInstanceOfSatisfying(PreconditionFailedException.class, e -> {
          assertThat(e.status()).isEqualTo(412);
          assertThat(e.getMessage()).contains("not at version 1");
          assertThat(e.server().toString()).isEqualTo(server.url() + "/api/v1");
        });
    assertThatThrownBy(() -> client.scale("web", 9, stale)).isInstanceOf(PreconditionFailedException.class);
    assertThat(client.get("web").desired()).isEqualTo(3);
  }

  @Test
  void anInvalidSpecIsRefusedWithTheFieldNamed() {
    assertThatThrownBy(() -> client.apply("web", ReplicaSetSpec.of(20_000, List.of("app"))))
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.status()).isEqualTo(422);
          assertThat(e.field()).contains("replicas");
          assertThat(e.getMessage()).isEqualTo("replicas: must be between 0 and 10000");
        });
    assertThatThrownBy(() -> client.apply("Not_A_Name", WEB))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).contains("name"));
    assertThatThrownBy(() -> client.scale("web", -1)).isInstanceOf(RejectedException.class);
  }

  @Test
  void aMalformedBodyIsRefusedAsBadRequestWithTheFieldNamed() {
    // The SDK cannot send a malformed spec, so a raw call does, as another client could.
    ApiRequest wrongType = ApiRequest.put("/replicasets/web", "{\"replicas\":\"three\",\"command\":[\"app\"]}");
    ShepherdClient.Builder builder = ShepherdClient.builder().server(server.url());
    HttpShepherdClient raw = (HttpShepherdClient) builder.build();

    assertThatThrownBy(() -> raw.transport().send(wrongType, "application/json", BodyHandlers.ofString()))
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.field()).contains("replicas");
        });
    raw.close();
  }

  @Test
  void aMissingSetIsNotFound() {
    assertThatThrownBy(() -> client.get("ghost"))
        .isInstanceOfSatisfying(NotFoundException.class, e -> {
          assertThat(e.status()).isEqualTo(404);
          assertThat(e.getMessage()).isEqualTo("replica set ghost does not exist");
        });
    assertThatThrownBy(() -> client.delete("ghost")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> client.killInstance("ghost", "ghost-1", false)).isInstanceOf(NotFoundException.class);
  }

  @Test
  void writingASetThatIsBeingDeletedIsAConflict() {
    client.apply("web", WEB);
    client.delete("web");

    assertThatThrownBy(() -> client.apply("web", WEB))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.status()).isEqualTo(409));
  }

  @Test
  void aRefusalIsNotRetried() throws IOException {
    try (FakeShepherdServer second = server.peer();
         ShepherdClient both = ShepherdClient.builder().server(server.url()).server(second.url()).build()) {
      assertThatThrownBy(() -> both.get("ghost")).isInstanceOf(NotFoundException.class);

      assertThat(server.requests()).hasSize(1);
      assertThat(second.requests()).isEmpty();
    }
  }

  @Test
  void anUnreadableAnswerIsAnUnexpectedResponse() {
    server.store().setLeader(null); // the fake then answers "null"

    assertThatThrownBy(() -> client.leader())
        .isInstanceOfSatisfying(UnexpectedResponseException.class, e -> assertThat(e.status()).isEqualTo(200));
  }
}
