package io.shepherd.server.api;

import static io.shepherd.server.api.ResourceTesting.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
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
    for (String module : new String[] {"app.js", "api.js", "events.js", "rows.js", "views.js", "style.css"}) {
      try (InputStream in = DashboardResource.class.getResourceAsStream(DashboardResource.ASSETS + "/" + module)) {
        assertThat(in).as(module).isNotNull();
        String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        Matcher imports = Pattern.compile("from '\\./([a-z-]+\\.js)'").matcher(text);
        while (imports.find()) {
          assertThat(DashboardResource.class.getResource(DashboardResource.ASSETS + "/" + imports.group(1)))
              .as(module + " imports " + imports.group(1)).isNotNull();
        }
        assertThat(text).as(module + " loads nothing from elsewhere").doesNotContain("https://");
      }
    }
    assertThat(API.target("/").request().get().getStatus()).isEqualTo(200);
  }

  @Test
  @Endpoint("GET /")
  void thePageOnlyReads() {
    assertError(API.target("/").request().post(Entity.json("{}")), 405);
  }
}
