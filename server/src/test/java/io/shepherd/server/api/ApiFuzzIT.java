package io.shepherd.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shepherd.api.Role;
import io.shepherd.api.SpecValidation;
import io.shepherd.client.ShepherdClient;
import io.shepherd.server.api.HostileRequests.Credential;
import io.shepherd.server.api.HostileRequests.Request;
import io.shepherd.server.auth.TokenRecord;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.server.testing.TestZkAuth;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.TestTokens;
import io.shepherd.server.testing.ZooKeeperExtension;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkLayout;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A few hundred seeded hostile requests ({@link HostileRequests}) spread over every endpoint of the API, read from
 * Jersey's model of the server's resources, with no token, garbage ones and tokens of each role. None may get a 5xx
 * or a dropped connection, every refusal keeps the API's JSON error shape, no request without a valid token is
 * served, and afterwards everything stored (specs, configuration values, tokens) still parses and validates.
 * The seed is printed and named in every failure; {@code -Dfuzz.seed=N} replays a run, {@code -Dfuzz.requests=N}
 * changes its length.
 */
class ApiFuzzIT {
  private static final long SEED = Long.getLong("fuzz.seed", new SecureRandom().nextLong());
  private static final int REQUESTS = Integer.getInteger("fuzz.requests", 400);
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension APP = new ServerExtension(ZK::connectString);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void hostileRequestsToEveryEndpointNeverGetA5xxOrAResetAndLeaveEverythingStoredValid() throws Exception {
    System.out.println("ApiFuzzIT: seed " + SEED + " (replay with -Dfuzz.seed=" + SEED + "), " + REQUESTS
        + " requests");
    List<String> endpoints = new ArrayList<>(EndpointCoverageTest.endpoints(EndpointCoverageTest.resourceClasses()));
    HostileRequests requests = new HostileRequests(new Random(SEED), secrets());

    List<String> failures = new ArrayList<>();
    Request previous = null;
    for (int i = 0; i < REQUESTS; i++) {
      Request request = requests.next(endpoints.get(i % endpoints.size()));
      String failure = check(request);
      if (failure != null) {
        failures.add("#" + i + " " + request + ": " + failure + " (after " + previous + ")");
      }
      previous = request;
    }
    assertThat(failures).as("seed %d: requests that got a 5xx, a reset or a malformed refusal", SEED).isEmpty();
    assertStoredStateIsValid();
  }

  /** A viewer, an operator and an admin token, made through the API. */
  private static Map<Credential, String> secrets() {
    Map<Credential, String> secrets = new EnumMap<>(Credential.class);
    try (ShepherdClient admin = ShepherdClient.builder().server(APP.baseUrl()).token(TestTokens.admin()).build()) {
      secrets.put(Credential.VIEWER, admin.createToken("fuzz-viewer", Role.VIEWER).secret());
      secrets.put(Credential.OPERATOR, admin.createToken("fuzz-operator", Role.OPERATOR).secret());
      secrets.put(Credential.ADMIN, TestTokens.admin());
    }
    return secrets;
  }

  /** Sends one request; what is wrong with its answer, or null. */
  private String check(Request request) {
    HttpRequest.Builder builder;
    try {
      builder = HttpRequest.newBuilder(URI.create(APP.baseUrl() + request.pathAndQuery()))
          .timeout(Duration.ofSeconds(20))
          .method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(request.body()));
      request.headers().forEach(builder::header);
    } catch (IllegalArgumentException notSendable) {
      return null; // a header or URI the client itself refuses to send never reaches the server
    }
    HttpResponse<InputStream> response;
    String body;
    try {
      response = http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
      String type = response.headers().firstValue("Content-Type").orElse("");
      try (InputStream in = response.body()) {
        // A stream that was let through (events, followed logs) stays open: its head is all this test needs.
        body = response.statusCode() == 200 && !type.startsWith("application/json") ? ""
            : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      return "no answer: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
    int status = response.statusCode();
    if (status >= 500) {
      return "status " + status + " " + body;
    }
    boolean validToken = request.credential() != Credential.NONE && request.credential() != Credential.GARBAGE;
    // Refused is what matters: Jetty and Jersey refuse some requests (an odd path, an unacceptable media type)
    // before the token is looked at; ApiAccessTest checks that a well-formed anonymous request is a 401.
    if (!validToken && status < 400 && !ApiAccessTest.ANONYMOUS.contains(request.endpoint())) {
      return "served without a valid token: " + status;
    }
    if (status == 401 && response.headers().firstValue("WWW-Authenticate").isEmpty()) {
      return "401 without a challenge";
    }
    if (status >= 400) {
      try {
        JsonNode error = JSON.readTree(body);
        if (error == null || error.path("code").asInt() != status || error.path("message").asText().isBlank()
            || body.contains("\tat ")) {
          return "refusal " + status + " is not the API's error shape: " + body;
        }
      } catch (IOException e) {
        return "refusal " + status + " is not JSON: " + body;
      }
    }
    return null;
  }

  /** Every stored spec parses and validates under a valid name; so do configuration values and tokens. */
  private static void assertStoredStateIsValid() throws Exception {
    ZkLayout layout = ZkLayout.defaultLayout();
    try (CuratorFramework zk = TestZkAuth.serverClient(ZK.connectString(), new RetryOneTime(100))) {
      zk.start();
      zk.blockUntilConnected();
      for (String name : children(zk, layout.replicaSets())) {
        assertThat(SpecValidation.validateName(name)).as("seed %d: stored name %s", SEED, name).isEmpty();
        StoredReplicaSet stored = RecordCodec.read(zk.getData().forPath(layout.replicaSet(name)),
            StoredReplicaSet.class);
        assertThat(SpecValidation.validate(stored.spec())).as("seed %d: stored spec of %s", SEED, name).isEmpty();
        assertThat(zk.checkExists().forPath(layout.instances(name))).as("seed %d: %s is whole", SEED, name)
            .isNotNull();
      }
      for (String name : children(zk, layout.config())) {
        assertThat(SpecValidation.validateName(name)).as("seed %d: config of %s", SEED, name).isEmpty();
      }
      for (String id : children(zk, layout.tokens())) {
        TokenRecord token = RecordCodec.read(zk.getData().forPath(layout.token(id)), TokenRecord.class);
        assertThat(TokensResource.NAME.matcher(token.name()).matches()).as("seed %d: token %s", SEED, token)
            .isTrue();
      }
    }
  }

  private static List<String> children(CuratorFramework zk, String path) throws Exception {
    return zk.checkExists().forPath(path) == null ? List.of() : zk.getChildren().forPath(path);
  }
}
