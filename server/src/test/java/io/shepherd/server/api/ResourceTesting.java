package io.shepherd.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.testing.junit5.ResourceExtension;
import io.shepherd.api.Role;
import io.shepherd.api.ShepherdJson;
import io.shepherd.server.api.fake.InMemoryTokens;
import io.shepherd.server.auth.ApiAuth;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Builds resource tests' Jersey as the application builds its own, and checks the API's error bodies. The API's auth
 * is in place, against {@link #TOKENS}; every request carries the admin token unless it sets its own
 * {@code Authorization} header (an empty one sends none).
 */
final class ResourceTesting {
  static final ObjectMapper JSON = ShepherdJson.configure(Jackson.newObjectMapper());
  static final InMemoryTokens TOKENS = new InMemoryTokens();

  private ResourceTesting() {}

  /**
   * The resources with what {@code ShepherdApplication} registers around them: the API's auth, the body limit and
   * the mappers.
   */
  static ResourceExtension resources(Object... resources) {
    ResourceExtension.Builder builder = ResourceExtension.builder()
        .setMapper(JSON)
        .setRegisterDefaultExceptionMappers(false)
        .setClientConfigurator(config -> config.register(new AsAdmin()))
        .addProvider(new BodyLimitFilter())
        .addProvider(new EndpointRecorder());
    ApiAuth.providers(TOKENS).forEach(builder::addProvider);
    ErrorMappers.all().forEach(builder::addProvider);
    for (Object resource : resources) {
      builder.addResource(resource);
    }
    return builder.build();
  }

  /** {@code Authorization: Bearer <secret>} of the standing token of {@code role}. */
  static String bearer(Role role) {
    return "Bearer " + TOKENS.secret(role);
  }

  /** Adds the admin token to requests that carry no Authorization header; drops an empty one. */
  private static final class AsAdmin implements ClientRequestFilter {
    @Override
    public void filter(ClientRequestContext request) {
      Object given = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
      if (given == null) {
        request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, bearer(Role.ADMIN));
      } else if (given.toString().isEmpty()) {
        request.getHeaders().remove(HttpHeaders.AUTHORIZATION);
      }
    }
  }

  /** Asserts an error body: {@code {"code": status, "message": "...", "field": field}}; returns the message. */
  static String assertError(Response response, int status, String field) {
    JsonNode body = body(response, status);
    assertThat(body.path("field").asText(null)).as("field of %s", body).isEqualTo(field);
    return body.path("message").asText();
  }

  /** Asserts an error body without a field; returns the message. */
  static String assertError(Response response, int status) {
    return assertError(response, status, null);
  }

  private static JsonNode body(Response response, int status) {
    String text = response.readEntity(String.class);
    assertThat(response.getStatus()).as("status of a response with body %s", text).isEqualTo(status);
    assertThat(response.getMediaType()).as(text).isNotNull();
    assertThat(response.getMediaType().isCompatible(MediaType.APPLICATION_JSON_TYPE)).as(text).isTrue();
    JsonNode body;
    try {
      body = JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
    assertThat(body.path("code").asInt()).as(text).isEqualTo(status);
    assertThat(body.path("message").asText()).as(text).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
    return body;
  }

  static JsonNode json(Response response, int status) {
    String text = response.readEntity(String.class);
    assertThat(response.getStatus()).as("status of a response with body %s", text).isEqualTo(status);
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }
}
