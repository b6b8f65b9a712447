package io.shepherd.server.api;

import static io.shepherd.server.api.ResourceTesting.assertError;
import static io.shepherd.server.api.ResourceTesting.bearer;
import static io.shepherd.server.api.ResourceTesting.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import io.shepherd.api.Role;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.HttpHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code GET /whoami}: the name and role of the request's token, for any role. */
@ExtendWith({DropwizardExtensionsSupport.class, EndpointRecorder.class})
class WhoAmIResourceTest {
  static final ResourceExtension API = ResourceTesting.resources(new WhoAmIResource());

  @ParameterizedTest(name = "a {0} token")
  @EnumSource(Role.class)
  @Endpoint("GET /api/v1/whoami")
  void everyRoleLearnsItsTokensNameAndRole(Role role) {
    JsonNode body = json(API.target("/api/v1/whoami").request()
        .header(HttpHeaders.AUTHORIZATION, bearer(role)).get(), 200);
    assertThat(body.path("name").asText()).isEqualTo(role.id());
    assertThat(body.path("role").asText()).isEqualTo(role.id());
  }

  @Test
  @Endpoint("GET /api/v1/whoami")
  void withoutATokenItIsRefused() {
    assertError(API.target("/api/v1/whoami").request().header(HttpHeaders.AUTHORIZATION, "").get(), 401);
  }

  @Test
  @Endpoint("GET /api/v1/whoami")
  void itOnlyReads() {
    assertError(API.target("/api/v1/whoami").request().post(Entity.json("{}")), 405);
  }
}
