package io.shepherd.server.api;

import static io.shepherd.server.api.ResourceTesting.TOKENS;
import static io.shepherd.server.api.ResourceTesting.assertError;
import static io.shepherd.server.api.ResourceTesting.bearer;
import static io.shepherd.server.api.ResourceTesting.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import io.shepherd.api.Role;
import io.shepherd.server.auth.TokenRecord;
import io.shepherd.server.auth.TokenSecrets;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code /tokens}: admins create, list and revoke API tokens; the secret is shown once and stored only hashed. */
@ExtendWith({DropwizardExtensionsSupport.class, EndpointRecorder.class})
class TokensResourceTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final ResourceExtension API = ResourceTesting.resources(
      new TokensResource(TOKENS, Clock.fixed(NOW, ZoneOffset.UTC)));

  @BeforeEach
  void standingTokensOnly() {
    TOKENS.reset();
  }

  private static Invocation.Builder tokens(String auth) {
    return API.target("/api/v1/tokens").request().header(HttpHeaders.AUTHORIZATION, auth);
  }

  private static JsonNode create(String name, String role) {
    return json(tokens(bearer(Role.ADMIN))
        .post(Entity.json("{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}")), 201);
  }

  @Test
  @Endpoint("POST /api/v1/tokens")
  void aNewTokenIsShownOnceWithItsSecretAndStoredOnlyAsItsHash() throws Exception {
    JsonNode body = create("ci", "operator");
    String secret = body.path("secret").asText();
    String id = body.path("token").path("id").asText();
    assertThat(TokenSecrets.idOf(secret)).contains(id);
    assertThat(body.path("token").path("name").asText()).isEqualTo("ci");
    assertThat(body.path("token").path("role").asText()).isEqualTo("operator");
    assertThat(body.path("token").path("created").asText()).isEqualTo("2026-03-01T12:00:00Z");
    assertThat(body.path("token").path("createdBy").asText()).isEqualTo("admin");

    TokenRecord stored = TOKENS.find(id).orElseThrow();
    assertThat(stored.toString()).doesNotContain(secret.substring(PREFIX_AND_ID));
    assertThat(stored.sha256()).hasSize(64).isNotEqualTo(secret);
    assertThat(TokenSecrets.matches(stored, secret)).isTrue();
    char last = secret.charAt(secret.length() - 1);
    String oneCharacterOff = secret.substring(0, secret.length() - 1) + (last == 'A' ? 'B' : 'A');
    assertThat(TokenSecrets.matches(stored, oneCharacterOff)).isFalse();
  }

  private static final int PREFIX_AND_ID = "shp_".length() + 16 + 1;

  @Test
  @Endpoint("POST /api/v1/tokens")
  @Endpoint("GET /api/v1/tokens")
  void aNewTokenWorksAtOnceWithItsRole() {
    String admin = create("second-admin", "admin").path("secret").asText();
    assertThat(tokens("Bearer " + admin).get().getStatus()).isEqualTo(200);
    String viewer = create("dashboard", "viewer").path("secret").asText();
    assertThat(assertError(tokens("Bearer " + viewer).get(), 403)).contains("admin").contains("dashboard");
  }

  @Test
  @Endpoint("GET /api/v1/tokens")
  void theListShowsEveryTokenButNeitherSecretNorHash() {
    create("ci", "operator");
    JsonNode list = json(tokens(bearer(Role.ADMIN)).get(), 200);
    assertThat(list).hasSize(4);
    assertThat(list.findValuesAsText("name")).containsExactlyInAnyOrder("admin", "operator", "viewer", "ci");
    assertThat(list.toString()).doesNotContain("secret").doesNotContain("sha256").doesNotContain("shp_");
  }

  @Test
  @Endpoint("DELETE /api/v1/tokens/{id}")
  void aRevokedTokenIsRefusedAtOnce() {
    JsonNode made = create("temp", "admin");
    String secret = made.path("secret").asText();
    assertThat(tokens("Bearer " + secret).get().getStatus()).isEqualTo(200);
    Response r = API.target("/api/v1/tokens/" + made.path("token").path("id").asText()).request().delete();
    assertThat(r.getStatus()).isEqualTo(204);
    assertError(tokens("Bearer " + secret).get(), 401);
    assertThat(TOKENS.list()).extracting(TokenRecord::name).doesNotContain("temp");
  }

  @ParameterizedTest
  @Endpoint("DELETE /api/v1/tokens/{id}")
  @ValueSource(strings = {"aaaaaaaaaaaaaaaa", "nope", "AAAAAAAAAAAAAAAA", "aaaaaaaaaaaaaaaa;x=1", "%2e%2e"})
  void revokingAnUnknownOrMalformedIdIs404(String id) {
    int before = TOKENS.list().size();
    assertError(API.target("/api/v1/tokens/" + id).request().delete(), 404);
    assertThat(TOKENS.list()).hasSize(before);
  }

  @ParameterizedTest(name = "{0} -> {1} naming {2}")
  @Endpoint("POST /api/v1/tokens")
  @CsvSource(delimiter = '|', value = {
      "{\"name\":\"\",\"role\":\"viewer\"}|422|name",
      "{\"name\":\"a b\",\"role\":\"viewer\"}|422|name",
      "{\"name\":\"-x\",\"role\":\"viewer\"}|422|name",
      "{\"name\":\"x\\ny\",\"role\":\"viewer\"}|422|name",
      "{\"role\":\"viewer\"}|422|name",
      "{\"name\":\"ci\"}|422|role",
      "{\"name\":\"ci\",\"role\":\"root\"}|400|role",
      "{\"name\":\"ci\",\"role\":7}|400|role",
      "{\"name\":[\"ci\"],\"role\":\"viewer\"}|400|name",
      "{\"name\":\"ci\",\"role\":\"viewer\",\"secret\":\"mine\"}|400|secret"})
  void badRequestsAreRefusedNamingTheFieldAndCreateNothing(String body, int status, String field) {
    assertError(tokens(bearer(Role.ADMIN)).post(Entity.json(body)), status, field);
    assertThat(TOKENS.list()).hasSize(3);
  }

  @Test
  @Endpoint("POST /api/v1/tokens")
  void aMissingBodyIs400() {
    assertError(tokens(bearer(Role.ADMIN)).post(Entity.json("")), 400);
  }

  @ParameterizedTest
  @Endpoint("POST /api/v1/tokens")
  @Endpoint("GET /api/v1/tokens")
  @CsvSource({"OPERATOR", "VIEWER"})
  void onlyAdminsManageTokens(Role role) {
    assertThat(assertError(tokens(bearer(role)).get(), 403)).contains("admin role");
    assertError(tokens(bearer(role)).post(Entity.json("{\"name\":\"mine\",\"role\":\"admin\"}")), 403);
    assertThat(TOKENS.list()).hasSize(3);
  }

  @Test
  @Endpoint("GET /api/v1/tokens")
  void withoutATokenTheAnswerIs401WithABearerChallenge() {
    Response r = tokens("").get();
    assertThat(r.getHeaderString(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Bearer realm=\"shepherd\"");
    assertThat(assertError(r, 401)).contains("Authorization: Bearer");
  }

  @ParameterizedTest
  @Endpoint("GET /api/v1/tokens")
  @ValueSource(strings = {"Bearer", "Bearer ", "Bearer nonsense", "Basic YWRtaW46YWRtaW4=", "bearer x",
      "Bearer shp_aaaaaaaaaaaaaaaa_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
  void aMalformedUnknownOrWrongTokenIs401(String header) {
    assertError(tokens(header).get(), 401);
  }

  @Test
  @Endpoint("GET /api/v1/tokens")
  void aRealTokenIdWithAnotherSecretIs401() {
    String admin = TOKENS.secret(Role.ADMIN);
    String forged = admin.substring(0, PREFIX_AND_ID) + "B".repeat(43);
    assertError(tokens("Bearer " + forged).get(), 401);
  }
}
