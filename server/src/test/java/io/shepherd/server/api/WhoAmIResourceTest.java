package io.shepherd.server.api;

import static io.shepherd.server.api.ResourceTesting.assertError;
import static io.shepherd.server.api.ResourceTesting.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code GET /whoami}: the caller's name and highest role from the request's security context. An authenticator is
 * played by a filter that reads {@code X-Test-Principal: name:role,role}; without it, there is no principal, as on a
 * server that authenticates nothing.
 */
@ExtendWith({DropwizardExtensionsSupport.class, EndpointRecorder.class})
class WhoAmIResourceTest {
  static final ResourceExtension API = ResourceTesting.resources(new WhoAmIResource(), new TestPrincipal());

  @Test
  @Endpoint("GET /api/v1/whoami")
  void withoutAPrincipalTheNameAndRoleAreNullNotAbsent() {
    JsonNode body = json(API.target("/api/v1/whoami").request().get(), 200);
    assertThat(body.has("name")).isTrue();
    assertThat(body.get("name").isNull()).isTrue();
    assertThat(body.has("role")).isTrue();
    assertThat(body.get("role").isNull()).isTrue();
  }

  @ParameterizedTest(name = "{0} holding [{1}] is {2}")
  @CsvSource(delimiter = '|', nullValues = "none", value = {
      "vera  | viewer                | viewer",
      "otto  | operator              | operator",
      "ada   | admin                 | admin",
      "multi | viewer,admin,operator | admin",
      "two   | operator,viewer       | operator",
      "odd   | auditor               | none",
  })
  @Endpoint("GET /api/v1/whoami")
  void theRoleIsTheHighestOneThePrincipalHolds(String name, String roles, String expected) {
    JsonNode body = json(API.target("/api/v1/whoami").request()
        .header("X-Test-Principal", name + ":" + roles).get(), 200);
    assertThat(body.path("name").asText()).isEqualTo(name);
    if (expected == null) {
      assertThat(body.get("role").isNull()).as("%s", body).isTrue();
    } else {
      assertThat(body.path("role").asText()).isEqualTo(expected);
    }
  }

  @Test
  void rolesAreOrderedFromTheHighest() {
    assertThat(WhoAmIResource.ROLES).containsExactly("admin", "operator", "viewer");
    assertThat(WhoAmIResource.highestRole(Set.of("viewer", "operator")::contains)).isEqualTo("operator");
    assertThat(WhoAmIResource.highestRole(r -> false)).isNull();
  }

  @Test
  void itIsOpenToEveryRoleOnceAuthenticationIsOn() throws Exception {
    jakarta.annotation.security.RolesAllowed allowed = WhoAmIResource.class
        .getMethod("whoami", SecurityContext.class).getAnnotation(jakarta.annotation.security.RolesAllowed.class);
    assertThat(allowed).isNotNull();
    assertThat(List.of(allowed.value())).containsExactlyInAnyOrder("viewer", "operator", "admin");
  }

  @Test
  @Endpoint("GET /api/v1/whoami")
  void itOnlyReads() {
    assertError(API.target("/api/v1/whoami").request().post(Entity.json("{}")), 405);
  }

  /** Plays an authenticator: {@code X-Test-Principal: name:role,role} becomes the request's security context. */
  @PreMatching
  @Priority(Priorities.AUTHENTICATION)
  static final class TestPrincipal implements ContainerRequestFilter {
    @Override
    public void filter(ContainerRequestContext request) {
      String header = request.getHeaderString("X-Test-Principal");
      if (header == null) {
        return;
      }
      String name = header.substring(0, header.indexOf(':'));
      Set<String> roles = Set.of(header.substring(header.indexOf(':') + 1).split(","));
      Principal principal = () -> name;
      request.setSecurityContext(new SecurityContext() {
        @Override
        public Principal getUserPrincipal() {
          return principal;
        }

        @Override
        public boolean isUserInRole(String role) {
          return roles.contains(role);
        }

        @Override
        public boolean isSecure() {
          return false;
        }

        @Override
        public String getAuthenticationScheme() {
          return "Bearer";
        }
      });
    }
  }
}
