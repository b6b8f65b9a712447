package io.shepherd.server.api;

import static io.shepherd.server.api.ResourceTesting.assertError;
import static io.shepherd.server.api.ResourceTesting.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import io.shepherd.server.api.fake.InMemoryBreaker;
import io.shepherd.server.state.BreakerState;
import jakarta.ws.rs.client.Entity;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code /breaker}: read the mass-loss breaker, and close it by hand; only closing is accepted. */
@ExtendWith({DropwizardExtensionsSupport.class, EndpointRecorder.class})
class BreakerResourceTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Instant OPENED = Instant.parse("2026-03-01T11:00:00Z");
  private static final InMemoryBreaker BREAKER = new InMemoryBreaker();
  static final ResourceExtension API = ResourceTesting.resources(
      new BreakerResource(BREAKER, Clock.fixed(NOW, ZoneOffset.UTC)));

  @BeforeEach
  void openBreaker() {
    BREAKER.store(BreakerState.opened(OPENED, 5, "4 of 5 nodes vanished at once"));
  }

  @Test
  @Endpoint("GET /api/v1/breaker")
  void anOpenBreakerSaysSinceWhenAndWhy() {
    JsonNode body = json(API.target("/api/v1/breaker").request().get(), 200);
    assertThat(body.path("open").asBoolean()).isTrue();
    assertThat(body.path("since").asText()).isEqualTo("2026-03-01T11:00:00Z");
    assertThat(body.path("reason").asText()).isEqualTo("4 of 5 nodes vanished at once");
    assertThat(body.has("referenceNodes")).as("the controller's bookkeeping is not shown").isFalse();
  }

  @Test
  @Endpoint("GET /api/v1/breaker")
  void aBreakerThatNeverOpenedIsClosedWithoutASince() {
    BREAKER.store(BreakerState.CLOSED);
    JsonNode body = json(API.target("/api/v1/breaker").request().get(), 200);
    assertThat(body.path("open").asBoolean()).isFalse();
    assertThat(body.has("since")).isFalse();
  }

  @Test
  @Endpoint("PUT /api/v1/breaker")
  @Endpoint("GET /api/v1/breaker")
  void closingTheBreakerByHandStoresItClosedNowByTheCaller() {
    int before = BREAKER.stores();
    JsonNode body = json(API.target("/api/v1/breaker").request().put(Entity.json("{\"open\":false}")), 200);
    assertThat(body.path("open").asBoolean()).isFalse();
    assertThat(body.path("since").asText()).isEqualTo("2026-03-01T12:00:00Z");
    assertThat(body.path("reason").asText()).isEqualTo("reset by admin");
    assertThat(BREAKER.stores()).isEqualTo(before + 1);
    assertThat(BREAKER.current()).isEqualTo(BreakerState.closedBy(NOW, "admin"));
    assertThat(BREAKER.current().by()).contains("admin");
    assertThat(json(API.target("/api/v1/breaker").request().get(), 200).path("open").asBoolean()).isFalse();
  }

  @Test
  @Endpoint("PUT /api/v1/breaker")
  void closingAClosedBreakerIsAcceptedAgain() {
    BREAKER.store(BreakerState.CLOSED);
    assertThat(API.target("/api/v1/breaker").request().put(Entity.json("{\"open\":false}")).getStatus())
        .isEqualTo(200);
    assertThat(BREAKER.current().since()).contains(NOW);
  }

  @Test
  @Endpoint("PUT /api/v1/breaker")
  void openingTheBreakerByHandIs422NamingOpenAndLeavesItAsItWas() {
    BREAKER.store(BreakerState.CLOSED);
    String message = assertError(API.target("/api/v1/breaker").request().put(Entity.json("{\"open\":true}")),
        422, "open");
    assertThat(message).contains("can only be set to false");
    assertThat(BREAKER.current()).isEqualTo(BreakerState.CLOSED);
  }

  @ParameterizedTest(name = "the body {0} is refused with {1}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "{}                          | 400 | -",
      "null                        | 400 | -",
      "''                          | 400 | -",
      "{\"open\":\"no\"}           | 400 | open",
      "{\"open\":false,\"x\":1}    | 400 | x",
      "{\"open\":                  | 400 | -",
  })
  @Endpoint("PUT /api/v1/breaker")
  void badBodiesAreRefusedAndTheBreakerStaysOpen(String body, int status, String field) {
    assertError(API.target("/api/v1/breaker").request().put(Entity.json(body)), status, field);
    assertThat(BREAKER.current().open()).isTrue();
  }

  @Test
  @Endpoint("PUT /api/v1/breaker")
  void aBodyThatIsNotJsonIs415AndAnOversizedOne413() {
    assertError(API.target("/api/v1/breaker").request().put(Entity.text("open=false")), 415);
    String huge = "{\"open\":false" + " ".repeat(BodyLimitFilter.MAX_BODY_BYTES) + "}";
    assertError(API.target("/api/v1/breaker").request().put(Entity.json(huge)), 413);
    assertThat(BREAKER.current().open()).isTrue();
  }

  @Test
  @Endpoint("GET /api/v1/breaker")
  void deletingTheBreakerIs405() {
    assertError(API.target("/api/v1/breaker").request().delete(), 405);
    assertThat(BREAKER.current().open()).isTrue();
  }
}
