package io.shepherd.server.api;

import static io.shepherd.server.api.ResourceTesting.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code GET /}: the dashboard's page, whose scripts all come from this server's own {@code /ui/}. */
@ExtendWith({DropwizardExtensionsSupport.class, EndpointRecorder.class})
class DashboardResourceTest {
  static final ResourceExtension API = ResourceTesting.resources(new DashboardResource());

  @Test
  @Endpoint("GET /")
  void thePageIsHtmlThatLoadsOnlyThisServersOwnScriptsAndStyles() {
    Response response = API.target("/").request().get();
    String page = response.readEntity(String.class);
    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(response.getMediaType().isCompatible(MediaType.TEXT_HTML_TYPE)).isTrue();
    assertThat(response.getHeaderString("Content-Security-Policy")).contains("default-src 'self'");
    assertThat(page).contains("<script type=\"module\" src=\"/ui/app.js\"></script>")
        .contains("href=\"/ui/style.css\"")
        .doesNotContain("http://").doesNotContain("https://");
  }

  @Test
  @Endpoint("GET /")
  void everyModuleThePageImportsIsInTheJar() throws Exception {
    // From app.js, every module it imports and every module those import, and the style sheet.
    Deque<String> toRead = new ArrayDeque<>(List.of("app.js", "style.css"));
    Set<String> read = new HashSet<>();
    while (!toRead.isEmpty()) {
      String module = toRead.pop();
      if (!read.add(module)) {
        continue;
      }
      try (InputStream in = DashboardResource.class.getResourceAsStream(DashboardResource.ASSETS + "/" + module)) {
        assertThat(in).as(module).isNotNull();
        String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        Matcher imports = Pattern.compile("from '\\./([a-z-]+\\.js)'").matcher(text);
        while (imports.find()) {
          toRead.push(imports.group(1));
        }
        assertThat(text).as(module + " loads nothing from elsewhere").doesNotContain("https://");
      }
    }
    assertThat(read).contains("api.js", "events.js", "rows.js", "views.js", "session.js", "reads.js", "sets.js",
        "detail.js", "logs.js");
    assertThat(API.target("/").request().get().getStatus()).isEqualTo(200);
  }

  @Test
  @Endpoint("GET /")
  void thePageOnlyReads() {
    assertError(API.target("/").request().post(Entity.json("{}")), 405);
  }
}
