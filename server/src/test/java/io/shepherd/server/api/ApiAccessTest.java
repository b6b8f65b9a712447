package io.shepherd.server.api;

import static io.shepherd.server.api.ResourceTesting.TOKENS;
import static io.shepherd.server.api.ResourceTesting.assertError;
import static io.shepherd.server.api.ResourceTesting.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import io.shepherd.api.Event;
import io.shepherd.api.EventType;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.shepherd.api.Role;
import io.shepherd.server.api.fake.FakeAgentLogs;
import io.shepherd.server.api.fake.InMemoryBreaker;
import io.shepherd.server.api.fake.InMemoryCluster;
import io.shepherd.server.api.fake.InMemoryConfigValues;
import io.shepherd.server.api.fake.InMemoryReplicaSets;
import io.shepherd.server.events.EventJournal;
import io.shepherd.testfixtures.UndeclaredAccessResource;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Nobody reaches the API without a token, and each endpoint needs the role this table gives it. The endpoints are
 * read from Jersey's model of every resource class of the server ({@link EndpointCoverageTest#endpoints}), so an
 * endpoint added without a row here fails, and every one of them is called: anonymously (401), with the role below
 * the one it needs (403) and with that role (anything but 401 and 403). A resource method that declares no role is
 * refused to everyone, admins included.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ApiAccessTest {
  /**
   * Endpoints anyone may call without a token: only the dashboard's page, which holds no cluster data (a browser
   * navigates to it before it could send a header; it reads everything else with the token typed in). Health checks
   * are on the admin port, not here.
   */
  static final Set<String> ANONYMOUS = Set.of("GET /");

  /** The role each endpoint needs: the policy, in one place. */
  private static final Map<String, Role> NEEDS = new TreeMap<>(Map.ofEntries(
      Map.entry("GET /api/v1/replicasets", Role.VIEWER),
      Map.entry("GET /api/v1/replicasets/{name}", Role.VIEWER),
      Map.entry("PUT /api/v1/replicasets/{name}", Role.OPERATOR),
      Map.entry("DELETE /api/v1/replicasets/{name}", Role.OPERATOR),
      Map.entry("PUT /api/v1/replicasets/{name}/replicas", Role.OPERATOR),
      Map.entry("GET /api/v1/replicasets/{name}/instances", Role.VIEWER),
      Map.entry("DELETE /api/v1/replicasets/{name}/instances/{id}", Role.OPERATOR),
      Map.entry("POST /api/v1/replicasets/{name}/instances/{id}/restart", Role.OPERATOR),
      Map.entry("GET /api/v1/replicasets/{name}/instances/{id}/logs", Role.OPERATOR),
      Map.entry("GET /api/v1/nodes", Role.VIEWER),
      Map.entry("GET /api/v1/leader", Role.VIEWER),
      Map.entry("GET /api/v1/events", Role.VIEWER),
      Map.entry("GET /api/v1/config/{name}/{key}", Role.VIEWER),
      Map.entry("PUT /api/v1/config/{name}/{key}", Role.OPERATOR),
      Map.entry("DELETE /api/v1/config/{name}/{key}", Role.OPERATOR),
      Map.entry("GET /api/v1/breaker", Role.VIEWER),
      Map.entry("PUT /api/v1/breaker", Role.ADMIN),
      Map.entry("GET /api/v1/tokens", Role.ADMIN),
      Map.entry("POST /api/v1/tokens", Role.ADMIN),
      Map.entry("DELETE /api/v1/tokens/{id}", Role.ADMIN),
      Map.entry("GET /api/v1/replicasets/{name}/rollout", Role.VIEWER),
      Map.entry("POST /api/v1/replicasets/{name}/rollout/pause", Role.OPERATOR),
      Map.entry("POST /api/v1/replicasets/{name}/rollout/resume", Role.OPERATOR),
      Map.entry("POST /api/v1/replicasets/{name}/rollout/promote", Role.OPERATOR),
      Map.entry("POST /api/v1/replicasets/{name}/rollout/restart", Role.OPERATOR),
      Map.entry("POST /api/v1/replicasets/{name}/rollout/undo", Role.OPERATOR),
      Map.entry("GET /api/v1/replicasets/{name}/revisions", Role.VIEWER),
      Map.entry("GET /api/v1/whoami", Role.VIEWER),
      Map.entry("GET /metrics", Role.VIEWER),
      Map.entry("GET /", Role.VIEWER))); // in ANONYMOUS too: any caller, any role

  private static final InMemoryReplicaSets SETS = new InMemoryReplicaSets();
  private static final InMemoryCluster CLUSTER = new InMemoryCluster(SETS, "server-a");
  private static final RolloutResourceTest.FakeRollouts ROLLOUTS = new RolloutResourceTest.FakeRollouts();

  /** Every resource of the server, over fakes. */
  static final ResourceExtension API = ResourceTesting.resources(
      new ReplicaSetResource(SETS, SETS),
      new ClusterResource(CLUSTER),
      new ConfigResource(new InMemoryConfigValues()),
      new BreakerResource(new InMemoryBreaker(), Clock.systemUTC()),
      new EventsResource(closedJournal(), ResourceTesting.JSON, Duration.ofSeconds(30), 10),
      new LogsResource(CLUSTER, new FakeAgentLogs()),
      new TokensResource(TOKENS, Clock.systemUTC()),
      new RolloutResource(ROLLOUTS, ROLLOUTS, ROLLOUTS),
      new RevisionsResource(ROLLOUTS),
      new WhoAmIResource(),
      new MetricsResource(MetricSnapshots::new),
      new DashboardResource());

  static final ResourceExtension FORGOTTEN = ResourceTesting.resources(new UndeclaredAccessResource());

  private static EventJournal closedJournal() {
    EventJournal journal = new EventJournal(3, 10);
    journal.publish(new Event(10, EventType.NODE_UP, Instant.parse("2026-01-01T00:00:00Z"), null, null,
        Optional.of("n1"), "node n1 registered"));
    journal.close();
    return journal;
  }

  @Test
  void theTableNamesEveryEndpointOfTheServerAndEveryResourceIsUnderTest() {
    Set<String> endpoints = EndpointCoverageTest.endpoints(EndpointCoverageTest.resourceClasses());
    assertThat(NEEDS.keySet()).as("roles of the endpoints").containsExactlyInAnyOrderElementsOf(endpoints);
    assertThat(EndpointCoverageTest.resourceClasses()).as("resources registered by this test")
        .containsExactlyInAnyOrder(ReplicaSetResource.class, ClusterResource.class, ConfigResource.class,
            BreakerResource.class, EventsResource.class, LogsResource.class, TokensResource.class,
            RolloutResource.class, RevisionsResource.class, WhoAmIResource.class, MetricsResource.class,
            DashboardResource.class);
  }

  @Test
  void everyEndpointRefusesAnAnonymousCallerWith401AndABearerChallenge() {
    Map<String, Integer> statuses = new TreeMap<>();
    for (String endpoint : NEEDS.keySet()) {
      Response r = call(endpoint, "");
      statuses.put(endpoint, r.getStatus());
      if (!ANONYMOUS.contains(endpoint)) {
        assertThat(r.getHeaderString(HttpHeaders.WWW_AUTHENTICATE)).as(endpoint).isEqualTo("Bearer realm=\"shepherd\"");
        assertError(r, 401);
      }
    }
    assertThat(statuses.entrySet().stream().filter(e -> e.getValue() != 401).map(Map.Entry::getKey)
        .collect(Collectors.toSet())).as("endpoints that served an anonymous caller").isEqualTo(ANONYMOUS);
  }

  @Test
  void everyEndpointRefusesAGarbageToken() {
    for (String endpoint : NEEDS.keySet()) {
      if (ANONYMOUS.contains(endpoint)) {
        assertThat(call(endpoint, "Bearer shp_garbage").getStatus()).as(endpoint + " never looks at a token")
            .isEqualTo(200);
        continue;
      }
      assertThat(call(endpoint, "Bearer shp_garbage").getStatus()).as(endpoint).isEqualTo(401);
    }
  }

  @Test
  void aTokenInTheUrlIsRefusedWith400NamingTheParameterEvenBesideAValidHeader() {
    String secret = bearer(Role.ADMIN).substring("Bearer ".length());
    for (String endpoint : NEEDS.keySet()) {
      if (ANONYMOUS.contains(endpoint)) {
        continue;
      }
      String path = endpoint.substring(endpoint.indexOf(' ') + 1)
          .replace("{name}", "web").replace("{id}", "web-1").replace("{key}", "k");
      String method = endpoint.substring(0, endpoint.indexOf(' '));
      for (String authorization : new String[] {"", bearer(Role.ADMIN)}) {
        var request = API.target(path).queryParam("access_token", secret).request()
            .header(HttpHeaders.AUTHORIZATION, authorization);
        Response r = method.equals("PUT") || method.equals("POST")
            ? request.method(method, Entity.json("{}")) : request.method(method);
        assertThat(assertError(r, 400, "access_token")).as(endpoint).contains("never taken from the URL");
      }
    }
  }

  @Test
  void everyEndpointRefusesTheRoleBelowTheOneItNeedsWith403() {
    for (Map.Entry<String, Role> e : NEEDS.entrySet()) {
      if (e.getValue() == Role.VIEWER) {
        continue;
      }
      Role below = Role.values()[e.getValue().ordinal() - 1];
      String message = assertError(call(e.getKey(), bearer(below)), 403);
      assertThat(message).as(e.getKey()).contains("needs the " + e.getValue().id() + " role")
          .contains("token '" + below.id() + "' has the " + below.id() + " role");
    }
  }

  @Test
  void everyEndpointServesTheRoleItNeedsAndEveryHigherOne() {
    for (Map.Entry<String, Role> e : NEEDS.entrySet()) {
      for (Role role : Role.values()) {
        if (role.includes(e.getValue())) {
          int status = call(e.getKey(), bearer(role)).getStatus();
          assertThat(status).as(e.getKey() + " as " + role.id()).isNotIn(401, 403).isLessThan(500);
        }
      }
    }
  }

  @Test
  void aMethodThatDeclaresNoRoleIsRefusedToEveryoneAdminsIncluded() {
    assertError(FORGOTTEN.target("/api/v1/forgotten").request()
        .header(HttpHeaders.AUTHORIZATION, "").get(), 401);
    for (Role role : Role.values()) {
      assertThat(assertError(FORGOTTEN.target("/api/v1/forgotten").request()
          .header(HttpHeaders.AUTHORIZATION, bearer(role)).get(), 403)).contains("declares no role");
      assertThat(assertError(FORGOTTEN.target("/api/v1/forgotten/closed").request()
          .header(HttpHeaders.AUTHORIZATION, bearer(role)).get(), 403)).contains("@DenyAll");
    }
  }

  @Test
  void permitAllMeansAnyValidTokenNotAnyone() {
    assertError(FORGOTTEN.target("/api/v1/forgotten/any").request().header(HttpHeaders.AUTHORIZATION, "").get(), 401);
    Response r = FORGOTTEN.target("/api/v1/forgotten/any").request()
        .header(HttpHeaders.AUTHORIZATION, bearer(Role.VIEWER)).get();
    assertThat(r.getStatus()).isEqualTo(200);
    assertThat(r.readEntity(String.class)).isEqualTo("any valid token");
  }

  /** One request to an endpoint ("METHOD /path/{param}"), its parameters filled in, with this Authorization. */
  private static Response call(String endpoint, String authorization) {
    String method = endpoint.substring(0, endpoint.indexOf(' '));
    String path = endpoint.substring(endpoint.indexOf(' ') + 1)
        .replace("{name}", "web").replace("{id}", "web-1").replace("{key}", "k");
    var request = API.target(path).request().header(HttpHeaders.AUTHORIZATION, authorization);
    return switch (method) {
      case "PUT", "POST" -> request.method(method, Entity.json("{}"));
      default -> request.method(method);
    };
  }
}
