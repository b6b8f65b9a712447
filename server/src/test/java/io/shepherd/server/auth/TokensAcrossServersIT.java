package io.shepherd.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.Event;
import io.shepherd.api.EventType;
import io.shepherd.api.NewToken;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.Role;
import io.shepherd.client.RejectedException;
import io.shepherd.client.ShepherdClient;
import io.shepherd.server.testing.EventStream;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.TestTokens;
import io.shepherd.server.testing.ZooKeeperExtension;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tokens on a cluster of two servers: one created on either works on both at once, one revoked on either is refused
 * by both (each server watches {@code /tokens}), roles hold on the real stack, and what a token's requests write is
 * reported in the event stream under its name, by whichever server reports it.
 */
class TokensAcrossServersIT {
  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension FIRST = new ServerExtension(ZK::connectString);

  @RegisterExtension
  static final ServerExtension SECOND = new ServerExtension(ZK::connectString);

  private static ShepherdClient client(ServerExtension server, String token) {
    return ShepherdClient.builder().server(server.baseUrl()).token(token).requestTimeout(Duration.ofSeconds(10))
        .build();
  }

  private static int status(Runnable call) {
    try {
      call.run();
      return 200;
    } catch (RejectedException e) {
      return e.status();
    }
  }

  @Test
  void aTokenMadeOnOneServerWorksOnBothAtOnceAndARevocationOnOneIsRefusedByBoth() {
    try (ShepherdClient admin = client(FIRST, TestTokens.admin())) {
      NewToken ci = admin.createToken("ci-revoked", Role.OPERATOR);
      try (ShepherdClient onFirst = client(FIRST, ci.secret()); ShepherdClient onSecond = client(SECOND, ci.secret())) {
        assertThat(onSecond.list()).isNotNull(); // no wait: a token the cache lacks is read from ZooKeeper
        assertThat(onFirst.list()).isNotNull();

        admin.revokeToken(ci.token().id());

        await().atMost(Duration.ofSeconds(10)).until(() -> status(onSecond::list) == 401);
        await().atMost(Duration.ofSeconds(10)).until(() -> status(onFirst::list) == 401);
        assertThat(admin.tokens()).extracting(t -> t.name()).doesNotContain("ci-revoked");
      }
    }
  }

  @Test
  void rolesHoldOnTheRealServer() {
    try (ShepherdClient admin = client(SECOND, TestTokens.admin())) {
      String viewerSecret = admin.createToken("dashboard", Role.VIEWER).secret();
      String operatorSecret = admin.createToken("deployer", Role.OPERATOR).secret();
      try (ShepherdClient viewer = client(FIRST, viewerSecret); ShepherdClient operator = client(FIRST, operatorSecret)) {
        assertThat(status(viewer::nodes)).isEqualTo(200);
        assertThat(status(() -> viewer.apply("refused", ReplicaSetSpec.of(0, List.of("sleep", "1"))))).isEqualTo(403);
        assertThat(viewer.find("refused")).isEmpty();
        assertThat(status(() -> operator.apply("allowed", ReplicaSetSpec.of(0, List.of("sleep", "1"))))).isEqualTo(200);
        assertThat(status(operator::tokens)).isEqualTo(403);
        assertThat(status(() -> operator.createToken("escalate", Role.ADMIN))).isEqualTo(403);
        assertThat(admin.tokens()).extracting(t -> t.name()).doesNotContain("escalate");
        operator.delete("allowed");
      }
    }
  }

  @Test
  void theEventsOfARequestNameItsToken() throws Exception {
    String secret;
    try (ShepherdClient admin = client(FIRST, TestTokens.admin())) {
      secret = admin.createToken("release-bot", Role.OPERATOR).secret();
    }
    try (EventStream events = EventStream.open(SECOND.baseUrl()); ShepherdClient bot = client(FIRST, secret)) {
      // One write at a time, each seen before the next: a change read only after the next one is reported as a
      // spec change "(it changed again at once)", not as what it was.
      bot.apply("audited", ReplicaSetSpec.of(0, List.of("sleep", "1")));
      await().atMost(Duration.ofSeconds(20)).until(() -> seen(events, EventType.SPEC_CHANGED));
      bot.scale("audited", 2);
      await().atMost(Duration.ofSeconds(20)).until(() -> seen(events, EventType.SCALED));
      bot.delete("audited");
      await().atMost(Duration.ofSeconds(20)).until(() -> events.eventsOf("audited").stream()
          .anyMatch(e -> e.type() == EventType.REPLICA_SET_DELETED && e.by().isEmpty()));

      List<Event> seen = events.eventsOf("audited");
      assertThat(seen).filteredOn(e -> e.type() == EventType.SPEC_CHANGED).extracting(Event::by)
          .containsExactly(Optional.of("release-bot"));
      assertThat(seen).filteredOn(e -> e.type() == EventType.SCALED).extracting(Event::by)
          .containsExactly(Optional.of("release-bot"));
      assertThat(seen).filteredOn(e -> e.type() == EventType.REPLICA_SET_DELETED).extracting(Event::by)
          .as("the request that marked it deleting, then the leader that removed it")
          .containsExactly(Optional.of("release-bot"), Optional.empty());
    }
  }

  private static boolean seen(EventStream events, EventType type) {
    return events.eventsOf("audited").stream().anyMatch(e -> e.type() == type);
  }

  @Test
  void anUnknownTokenIsRefusedByEveryServer() {
    for (ServerExtension server : List.of(FIRST, SECOND)) {
      try (ShepherdClient stranger = client(server, "shp_aaaaaaaaaaaaaaaa_" + "x".repeat(43))) {
        assertThatThrownBy(stranger::list).isInstanceOfSatisfying(RejectedException.class,
            e -> assertThat(e.status()).isEqualTo(401));
      }
    }
  }
}
