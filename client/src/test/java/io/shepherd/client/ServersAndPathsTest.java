package io.shepherd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** Server URLs as users write them, and names as path segments. */
class ServersAndPathsTest {
  @Test
  void aBaseUrlGetsTheApiPathOnceWhateverItsTrailingSlashes() {
    assertThat(Servers.apiRoot("http://127.0.0.1:8080")).isEqualTo(URI.create("http://127.0.0.1:8080/api/v1"));
    assertThat(Servers.apiRoot(" http://h:1/ ")).isEqualTo(URI.create("http://h:1/api/v1"));
    assertThat(Servers.apiRoot("https://h/shepherd/api/v1/")).isEqualTo(URI.create("https://h/shepherd/api/v1"));
    assertThat(Servers.apiRoot("HTTP://[::1]:8080")).isEqualTo(URI.create("http://[::1]:8080/api/v1"));
  }

  @Test
  void aListIsCommaSeparatedAndBlanksAreIgnored() {
    assertThat(Servers.parse("http://a:1, http://b:2,,")).containsExactly(
        URI.create("http://a:1/api/v1"), URI.create("http://b:2/api/v1"));
  }

  @Test
  void whatIsNotAnHttpUrlIsRefused() {
    assertThatThrownBy(() -> Servers.apiRoot("ftp://h")).hasMessageContaining("http:// or https://");
    assertThatThrownBy(() -> Servers.apiRoot("127.0.0.1:8080")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Servers.apiRoot("http://h:1/?x=1")).hasMessageContaining("query");
    assertThatThrownBy(() -> Servers.parse(" , ")).hasMessageContaining("no server URL");
    assertThatThrownBy(() -> ShepherdClient.builder().build()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void eachNameIsOnePercentEncodedSegment() {
    assertThat(ApiRequest.path("replicasets", "web")).isEqualTo("/replicasets/web");
    assertThat(ApiRequest.path("config", "web", "a/b c?d")).isEqualTo("/config/web/a%2Fb%20c%3Fd");
    assertThat(ApiRequest.path("config", "web", "ünï")).isEqualTo("/config/web/%C3%BCn%C3%AF");
    assertThat(ApiRequest.path("replicasets", "..")).isEqualTo("/replicasets/%2E%2E");
    assertThatThrownBy(() -> ApiRequest.path("replicasets", "")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theQueryIsEncodedAndInAStableOrder() {
    ApiRequest request = ApiRequest.get("/events").withQuery("since", "5").withQuery("a b", "c&d");

    assertThat(request.uri(URI.create("http://h/api/v1")))
        .isEqualTo(URI.create("http://h/api/v1/events?a%20b=c%26d&since=5"));
  }
}
