package io.shepherd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.NewToken;
import io.shepherd.api.Role;
import io.shepherd.api.TokenInfo;
import io.shepherd.fake.FakeServerExtension;
import io.shepherd.fake.FakeShepherdServer.Recorded;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SDK's token: sent on every kind of call, and the token calls themselves. */
class ShepherdClientTokenTest {
  private static final String TOKEN = "shp_aaaaaaaaaaaaaaaa_" + "k".repeat(43);

  @RegisterExtension
  final FakeServerExtension fake = FakeServerExtension.requiringToken(TOKEN);

  @Test
  void everyKindOfCallCarriesTheBearerToken() throws IOException {
    try (ShepherdClient client = ShepherdClient.builder().server(fake.server().url()).token(TOKEN + "\n").build()) {
      client.nodes();
      client.putConfig("web", "k", "v");
      client.deleteConfig("web", "k");
      try {
        client.logs("web", "web-1", OptionalInt.empty(), false).close();
      } catch (NotFoundException fakeKnowsNoSuchCopy) {
        // the request was sent, which is what this test looks at
      }
      try (EventSubscription events = client.events(OptionalLong.of(0), event -> { })) {
        await().atMost(Duration.ofSeconds(10)).until(() -> fake.server().requests().size() >= 5);
      }
    }
    assertThat(fake.server().requests()).extracting(r -> r.header("authorization").orElse("none"))
        .containsOnly("Bearer " + TOKEN);
  }

  @Test
  void withoutATokenAServerRefusesWith401AsARejection() {
    try (ShepherdClient client = ShepherdClient.builder().server(fake.server().url()).build()) {
      assertThatThrownBy(client::nodes).isInstanceOfSatisfying(RejectedException.class, e -> {
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.getMessage()).contains("a valid API token is required");
      });
    }
    assertThat(fake.server().requests()).hasSize(1); // a 4xx is an answer, not a failure to fail over from
  }

  @Test
  void tokenCallsCreateListAndRevoke() {
    try (ShepherdClient client = ShepherdClient.builder().server(fake.server().url()).token(TOKEN).build()) {
      NewToken made = client.createToken("ci", Role.OPERATOR);
      assertThat(made.token().name()).isEqualTo("ci");
      assertThat(made.token().role()).isEqualTo(Role.OPERATOR);
      assertThat(made.secret()).startsWith("shp_");
      Recorded post = fake.server().requests().get(0);
      assertThat(post.line()).isEqualTo("POST /api/v1/tokens");
      assertThat(post.body()).isEqualTo("{\"name\":\"ci\",\"role\":\"operator\"}");

      assertThat(client.tokens()).extracting(TokenInfo::name).containsExactly("ci");
      client.revokeToken(made.token().id());
      assertThat(fake.server().requests().get(2).line()).isEqualTo("DELETE /api/v1/tokens/" + made.token().id());
      assertThat(client.tokens()).isEmpty();
      assertThatThrownBy(() -> client.revokeToken(made.token().id())).isInstanceOf(NotFoundException.class);
    }
  }

  @Test
  void aBlankOrMultiWordTokenIsRefusedByTheBuilder() {
    for (String bad : List.of("", "  ", "two words", "tab\there", "é")) {
      assertThatThrownBy(() -> ShepherdClient.builder().token(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

}
