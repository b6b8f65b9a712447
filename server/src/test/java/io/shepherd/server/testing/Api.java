package io.shepherd.server.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shepherd.api.Instance;
import io.shepherd.api.LeaderInfo;
import io.shepherd.api.Node;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.ReplicaSetStatus;
import io.shepherd.api.ReplicaSetSummary;
import io.shepherd.api.ShepherdJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A minimal JSON client over the REST API for the server's own tests (the SDK is tested in client/), as admin. */
public final class Api {
  private static final ObjectMapper JSON = ShepherdJson.newMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;
  private final String authorization;

  /** A client that sends the tests' admin token. */
  public Api(String baseUrl) {
    this(baseUrl, TestTokens.bearer());
  }

  /** A client that sends {@code authorization} as its Authorization header; none when it is empty. */
  public Api(String baseUrl, String authorization) {
    this.base = baseUrl + "/api/v1";
    this.authorization = authorization;
  }

  public HttpResponse<String> send(String method, String path, Object body) throws Exception {
    HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body));
    // A timeout, so that a call to a frozen server (fault tests) fails instead of hanging the suite.
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .method(method, publisher).header("Content-Type", "application/json");
    if (!authorization.isEmpty()) {
      builder.header("Authorization", authorization);
    }
    HttpRequest request = builder.build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  public ReplicaSetStatus apply(String name, ReplicaSetSpec spec) throws Exception {
    return expect(send("PUT", "/replicasets/" + name, spec), ReplicaSetStatus.class, 200, 201);
  }

  public ReplicaSetStatus scale(String name, int replicas) throws Exception {
    return expect(send("PUT", "/replicasets/" + name + "/replicas", "{\"replicas\":" + replicas + "}"),
        ReplicaSetStatus.class, 200);
  }

  public void delete(String name) throws Exception {
    expect(send("DELETE", "/replicasets/" + name, null), ReplicaSetStatus.class, 202);
  }

  public void kill(String name, String instanceId, boolean scale) throws Exception {
    expect(send("DELETE", "/replicasets/" + name + "/instances/" + instanceId + (scale ? "?scale=true" : ""), null),
        ReplicaSetStatus.class, 202);
  }

  public Optional<ReplicaSetStatus> get(String name) throws Exception {
    HttpResponse<String> r = send("GET", "/replicasets/" + name, null);
    return r.statusCode() == 404 ? Optional.empty() : Optional.of(expect(r, ReplicaSetStatus.class, 200));
  }

  public List<Instance> instances(String name) throws Exception {
    HttpResponse<String> r = send("GET", "/replicasets/" + name + "/instances", null);
    if (r.statusCode() != 200) {
      throw new AssertionError("GET instances: " + r.statusCode() + " " + r.body());
    }
    return JSON.readValue(r.body(), new TypeReference<List<Instance>>() { });
  }

  public List<ReplicaSetSummary> list() throws Exception {
    HttpResponse<String> r = send("GET", "/replicasets", null);
    return JSON.readValue(expectBody(r), new TypeReference<List<ReplicaSetSummary>>() { });
  }

  public List<Node> nodes() throws Exception {
    HttpResponse<String> r = send("GET", "/nodes", null);
    return JSON.readValue(r.body(), new TypeReference<List<Node>>() { });
  }

  public LeaderInfo leader() throws Exception {
    return expect(send("GET", "/leader", null), LeaderInfo.class, 200);
  }

  private static String expectBody(HttpResponse<String> r) {
    if (r.statusCode() != 200) {
      throw new AssertionError("unexpected " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  private static <T> T expect(HttpResponse<String> r, Class<T> type, int... statuses) throws Exception {
    for (int status : statuses) {
      if (r.statusCode() == status) {
        return JSON.readValue(r.body(), type);
      }
    }
    throw new AssertionError("unexpected " + r.statusCode() + ": " + r.body());
  }
}
