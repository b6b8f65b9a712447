package io.shepherd.server.api;

import jakarta.ws.rs.core.HttpHeaders;
import io.shepherd.api.Role;
import static io.shepherd.server.api.ResourceTesting.assertError;
import static io.shepherd.server.api.ResourceTesting.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import io.shepherd.api.Instance;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.ReplicaSetStatus;
import io.shepherd.api.ReplicaSetSummary;
import io.shepherd.api.Revision;
import io.shepherd.api.Rollout;
import io.shepherd.api.RolloutReason;
import io.shepherd.api.RolloutState;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.server.state.Versioned;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code /replicasets/{name}/rollout} and {@code /revisions}: status codes and bodies, against a fake store. */
@ExtendWith({DropwizardExtensionsSupport.class, EndpointRecorder.class})
class RolloutResourceTest {
  private static final Instant T = Instant.parse("2030-01-01T12:00:00Z");
  private static final ReplicaSetSpec SPEC = ReplicaSetSpec.of(3, List.of("sleep", "200000"));
  private static final FakeRollouts FAKE = new FakeRollouts();
  static final ResourceExtension API = ResourceTesting.resources(new RolloutResource(FAKE, FAKE, FAKE),
      new RevisionsResource(FAKE));

  @BeforeEach
  void reset() {
    FAKE.calls.clear();
    FAKE.rollout = Optional.of(new Rollout(1, 2, RolloutState.PROGRESSING, RolloutReason.NEW_REVISION, "", 3, 1, 1,
        1, 3, 1, Optional.empty(), "alice", T, T, Optional.empty()));
  }

  @Test
  @Endpoint("GET /api/v1/replicasets/{name}/rollout")
  void theRolloutHasItsRevisionsStateCountsAndWhoStartedIt() {
    JsonNode body = json(API.target("/api/v1/replicasets/web/rollout").request().get(), 200);

    assertThat(body.path("fromRevision").asInt()).isEqualTo(1);
    assertThat(body.path("toRevision").asInt()).isEqualTo(2);
    assertThat(body.path("state").asText()).isEqualTo("PROGRESSING");
    assertThat(body.path("updated").asInt()).isEqualTo(1);
    assertThat(body.path("startedBy").asText()).isEqualTo("alice");
  }

  @Test
  @Endpoint("GET /api/v1/replicasets/{name}/rollout")
  void anUnknownReplicaSetOrOneNotYetLookedAtIs404() {
    assertError(API.target("/api/v1/replicasets/nope/rollout").request().get(), 404);
    FAKE.rollout = Optional.empty();
    assertError(API.target("/api/v1/replicasets/web/rollout").request().get(), 404);
  }

  @ParameterizedTest
  @ValueSource(strings = {"pause", "resume", "promote", "restart"})
  @Endpoint("POST /api/v1/replicasets/{name}/rollout/pause")
  @Endpoint("POST /api/v1/replicasets/{name}/rollout/resume")
  @Endpoint("POST /api/v1/replicasets/{name}/rollout/promote")
  @Endpoint("POST /api/v1/replicasets/{name}/rollout/restart")
  void aControlIs202WithTheReplicaSetAndRecordsTheCaller(String action) {
    Response r = API.target("/api/v1/replicasets/web/rollout/" + action).request()
        .header(HttpHeaders.AUTHORIZATION, ResourceTesting.bearer(Role.OPERATOR)).post(Entity.json(""));

    assertThat(json(r, 202).path("name").asText()).isEqualTo("web");
    assertThat(FAKE.calls).containsExactly(action + " web by operator");
  }

  @Test
  @Endpoint("POST /api/v1/replicasets/{name}/rollout/undo")
  void undoGoesToTheRevisionTheBodyNamesOrWithoutOneToThePrevious() {
    json(API.target("/api/v1/replicasets/web/rollout/undo").request().post(Entity.json("{\"revision\": 1}")), 202);
    json(API.target("/api/v1/replicasets/web/rollout/undo").request().post(Entity.json("{}")), 202);

    assertThat(FAKE.calls).containsExactly("undo web to OptionalInt[1] by admin",
        "undo web to OptionalInt.empty by admin");
  }

  @Test
  @Endpoint("POST /api/v1/replicasets/{name}/rollout/undo")
  void undoToRevisionZeroIs422NamingTheField() {
    Response r = API.target("/api/v1/replicasets/web/rollout/undo").request().post(Entity.json("{\"revision\": 0}"));

    assertError(r, 422, "revision");
    assertThat(FAKE.calls).isEmpty();
  }

  @Test
  @Endpoint("POST /api/v1/replicasets/{name}/rollout/pause")
  void controllingAnUnknownReplicaSetIs404() {
    assertError(API.target("/api/v1/replicasets/nope/rollout/pause").request().post(Entity.json("")), 404);
  }

  @Test
  @Endpoint("GET /api/v1/replicasets/{name}/revisions")
  void revisionsListTemplatesWithWhoMadeThemAndWhen() {
    JsonNode body = json(API.target("/api/v1/replicasets/web/revisions").request().get(), 200);

    assertThat(body).hasSize(2);
    assertThat(body.get(1).path("revision").asInt()).isEqualTo(2);
    assertThat(body.get(1).path("createdBy").asText()).isEqualTo("alice");
    assertThat(body.get(1).path("template").path("command").toString()).isEqualTo("[\"sleep\",\"200000\"]");
    assertThat(body.get(1).path("restores")).as("never brought back").isEmpty();
    assertError(API.target("/api/v1/replicasets/nope/revisions").request().get(), 404);
  }

  @Test
  @Endpoint("GET /api/v1/replicasets/{name}/revisions")
  void aRevisionBroughtBackSaysByWhomWhenFromWhichAndWhy() {
    JsonNode restores = json(API.target("/api/v1/replicasets/web/revisions").request().get(), 200)
        .get(0).path("restores");

    assertThat(restores).hasSize(2);
    assertThat(restores.get(0).path("by").asText()).isEqualTo("carol");
    assertThat(restores.get(0).path("at").asText()).isEqualTo("2030-01-01T12:01:00Z");
    assertThat(restores.get(0).path("reason").asText()).isEqualTo("UNDO");
    assertThat(restores.get(0).path("fromRevision").asInt()).isEqualTo(2);
    assertThat(restores.get(1).path("by").asText()).isEqualTo("controller");
    assertThat(restores.get(1).path("reason").asText()).isEqualTo("NEW_COPIES_CRASH_LOOP");
  }

  /** One replica set, {@code web}, with a rollout and two revisions; every write is recorded as a line. */
  static final class FakeRollouts implements RolloutWrites, RolloutReads, ReplicaSetReads {
    final List<String> calls = new ArrayList<>();
    volatile Optional<Rollout> rollout = Optional.empty();

    private Versioned<StoredReplicaSet> record(String name, String call) {
      known(name);
      calls.add(call);
      return new Versioned<>(StoredReplicaSet.created(SPEC, "alice"), 1);
    }

    private static void known(String name) {
      if (!name.equals("web")) {
        throw ApiException.notFound("replica set " + name);
      }
    }

    @Override
    public Versioned<StoredReplicaSet> pause(String name, String who) {
      return record(name, "pause " + name + " by " + who);
    }

    @Override
    public Versioned<StoredReplicaSet> resume(String name, String who) {
      return record(name, "resume " + name + " by " + who);
    }

    @Override
    public Versioned<StoredReplicaSet> promote(String name, String who) {
      return record(name, "promote " + name + " by " + who);
    }

    @Override
    public Versioned<StoredReplicaSet> undo(String name, OptionalInt revision, String who) {
      return record(name, "undo " + name + " to " + revision + " by " + who);
    }

    @Override
    public Versioned<StoredReplicaSet> restartRollout(String name, String who) {
      return record(name, "restart " + name + " by " + who);
    }

    @Override
    public Optional<Rollout> rollout(String name) {
      known(name);
      return rollout;
    }

    @Override
    public List<Revision> revisions(String name) {
      known(name);
      return List.of(new Revision(1, SPEC.withReplicas(1), T, "bob", RolloutReason.NEW_REVISION, List.of(
              new Revision.Restore(T.plusSeconds(60), "carol", RolloutReason.UNDO, 2),
              new Revision.Restore(T.plusSeconds(120), Revision.CONTROLLER, RolloutReason.NEW_COPIES_CRASH_LOOP, 2))),
          new Revision(2, SPEC, T, "alice", RolloutReason.NEW_REVISION));
    }

    @Override
    public List<ReplicaSetSummary> summaries() {
      return List.of();
    }

    @Override
    public Optional<ReplicaSetStatus> status(String name) {
      return Optional.empty();
    }

    @Override
    public ReplicaSetStatus status(String name, Versioned<StoredReplicaSet> spec) {
      return new ReplicaSetStatus(name, spec.version(), spec.value().spec(), 3, 3, 0, 3, false, 0, Optional.empty(),
          List.<Instance>of(), Optional.empty(), spec.value().revision(), rollout);
    }

    @Override
    public Optional<List<Instance>> instances(String name) {
      return Optional.empty();
    }
  }
}
