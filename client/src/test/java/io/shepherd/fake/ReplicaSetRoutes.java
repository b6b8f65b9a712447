package io.shepherd.fake;

import static io.shepherd.fake.FakeShepherdServer.JSON;
import static io.shepherd.fake.FakeShepherdServer.error;
import static io.shepherd.fake.FakeShepherdServer.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.sun.net.httpserver.HttpExchange;
import io.shepherd.api.ETags;
import io.shepherd.api.FieldError;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.ReplicaSetStatus;
import io.shepherd.api.ScaleRequest;
import io.shepherd.api.SpecValidation;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** {@code /api/v1/replicasets/...} of the fake server. */
final class ReplicaSetRoutes {
  private final FakeStore store;
  private final FakeShepherdServer server;

  ReplicaSetRoutes(FakeStore store, FakeShepherdServer server) {
    this.store = store;
    this.server = server;
  }

  void route(HttpExchange ex, FakeShepherdServer.Recorded req, String m, List<String> p, Map<String, String> q)
      throws IOException, InterruptedException {
    if (p.size() == 1 && m.equals("GET")) {
      json(ex, 200, store.summaries(), null);
      return;
    }
    if (p.size() < 2) {
      error(ex, 405, "method not allowed", null);
      return;
    }
    String name = p.get(1);
    // The route with the instance id as '*': "GET ", "PUT replicas", "DELETE instances/*", ...
    String sub = switch (p.size()) {
      case 2 -> "";
      case 3 -> p.get(2);
      case 4 -> p.get(2) + "/*";
      default -> p.get(2) + "/*/" + String.join("/", p.subList(4, p.size()));
    };
    switch (m + " " + sub) {
      case "GET " -> {
        Optional<ReplicaSetStatus> status = store.read(name);
        if (status.isPresent()) {
          json(ex, 200, status.get(), status.get().etag());
        } else {
          notFound(ex, name);
        }
      }
      case "PUT " -> put(ex, req, name);
      case "DELETE " -> {
        if (store.find(name).isEmpty()) {
          notFound(ex, name);
        } else {
          json(ex, 202, store.delete(name), null);
        }
      }
      case "PUT replicas" -> scale(ex, req, name);
      case "GET instances" -> {
        var s = store.find(name);
        if (s.isEmpty()) {
          notFound(ex, name);
        } else {
          String ready = q.get("ready");
          json(ex, 200, ready == null ? s.get().instances()
              : s.get().instances().stream().filter(i -> i.ready() == Boolean.parseBoolean(ready)).toList(), null);
        }
      }
      case "DELETE instances/*" -> {
        boolean scale = "true".equals(q.get("scale"));
        if (!store.kill(name, p.get(3), scale)) {
          error(ex, 404, "replica set " + name + " has no instance " + p.get(3), null);
        } else {
          json(ex, 202, store.find(name).orElseThrow(), null);
        }
      }
      case "POST instances/*/restart" -> {
        if (!store.restart(name, p.get(3))) {
          error(ex, 404, "instance " + p.get(3) + " of replica set " + name + " not found", null);
        } else {
          json(ex, 202, store.find(name).orElseThrow(), null);
        }
      }
      case "GET instances/*/logs" -> logs(ex, name, p.get(3), q);
      case "GET rollout" -> {
        var r = store.rollout(name);
        if (r.isPresent()) {
          json(ex, 200, r.get(), null);
        } else {
          notFound(ex, name);
        }
      }
      case "GET revisions" -> {
        var history = store.revisions(name);
        if (history.isPresent()) {
          json(ex, 200, history.get(), null);
        } else {
          notFound(ex, name);
        }
      }
      case "POST rollout/*" -> {
        var s = store.find(name);
        if (s.isEmpty()) {
          notFound(ex, name);
        } else {
          json(ex, 202, s.get(), null);
        }
      }
      default -> error(ex, 405, "method not allowed: " + req.line(), null);
    }
  }

  private void put(HttpExchange ex, FakeShepherdServer.Recorded req, String name) throws IOException {
    ReplicaSetSpec spec;
    try {
      spec = JSON.readValue(req.body(), ReplicaSetSpec.class);
    } catch (JsonMappingException e) {
      error(ex, 400, e.getOriginalMessage(), FakeShepherdServer.field(e));
      return;
    } catch (JsonProcessingException e) {
      error(ex, 400, "malformed JSON: " + e.getOriginalMessage(), null);
      return;
    }
    List<FieldError> errors = new ArrayList<>(SpecValidation.validateName(name));
    errors.addAll(SpecValidation.validate(spec));
    if (!errors.isEmpty()) {
      error(ex, 422, errors.get(0));
      return;
    }
    var existing = store.find(name);
    if (existing.isPresent() && existing.get().deleting()) {
      error(ex, 409, "replica set " + name + " is being deleted", null);
      return;
    }
    if (!versionMatches(ex, req, name, existing)) {
      return;
    }
    boolean created = store.put(name, spec);
    ReplicaSetStatus status = store.find(name).orElseThrow();
    json(ex, created ? 201 : 200, status, status.etag());
  }

  private void scale(HttpExchange ex, FakeShepherdServer.Recorded req, String name) throws IOException {
    ScaleRequest scale;
    try {
      scale = JSON.readValue(req.body(), ScaleRequest.class);
    } catch (JsonMappingException e) {
      error(ex, 400, e.getOriginalMessage(), FakeShepherdServer.field(e));
      return;
    }
    List<FieldError> errors = SpecValidation.validateReplicas(scale.replicas());
    if (!errors.isEmpty()) {
      error(ex, 422, errors.get(0));
      return;
    }
    var existing = store.find(name);
    if (existing.isEmpty()) {
      notFound(ex, name);
      return;
    }
    if (!versionMatches(ex, req, name, existing)) {
      return;
    }
    store.scale(name, scale.replicas());
    ReplicaSetStatus status = store.find(name).orElseThrow();
    json(ex, 200, status, status.etag());
  }

  private static boolean versionMatches(HttpExchange ex, FakeShepherdServer.Recorded req, String name,
      Optional<ReplicaSetStatus> existing) throws IOException {
    OptionalInt ifMatch = ETags.parse(req.header("If-Match").orElse(null));
    if (ifMatch.isPresent() && (existing.isEmpty() || existing.get().version() != ifMatch.getAsInt())) {
      error(ex, 412, "replica set " + name + " is not at version " + ifMatch.getAsInt()
          + existing.map(s -> " but at " + s.version()).orElse(""), null);
      return false;
    }
    return true;
  }

  private void logs(HttpExchange ex, String name, String id, Map<String, String> q)
      throws IOException, InterruptedException {
    boolean follow = "true".equals(q.get("follow"));
    int size = store.logSize(name, id);
    int from = q.containsKey("tail") ? Math.max(0, size - Integer.parseInt(q.get("tail"))) : 0;
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    out.flush();
    while (!server.stopped()) {
      List<String> lines = store.logLines(name, id, from, follow ? 100 : 0);
      if (lines == null || (!follow && lines.isEmpty())) {
        return;
      }
      for (String line : lines) {
        FakeShepherdServer.write(out, line + "\n");
      }
      from += lines.size();
    }
  }

  private static void notFound(HttpExchange ex, String name) throws IOException {
    error(ex, 404, "replica set " + name + " does not exist", null);
  }
}
