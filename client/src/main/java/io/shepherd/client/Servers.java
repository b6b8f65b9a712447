package io.shepherd.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/** Server base URLs as users write them, turned into API roots ending in {@code /api/v1}. */
final class Servers {
  static final String API_PATH = "/api/v1";

  private Servers() {}

  static URI apiRoot(String baseUrl) {
    if (baseUrl == null || baseUrl.isBlank()) {
      throw new IllegalArgumentException("a server URL must not be empty");
    }
    URI uri;
    try {
      uri = new URI(baseUrl.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + baseUrl, e);
    }
    if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("a server URL must start with http:// or https://: " + baseUrl);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("a server URL must name a host: " + baseUrl);
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("a server URL must not carry a query or fragment: " + baseUrl);
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    if (!path.endsWith(API_PATH)) {
      path = path + API_PATH;
    }
    return URI.create(uri.getScheme().toLowerCase() + "://" + uri.getRawAuthority() + path);
  }

  static List<URI> parse(String commaSeparated) {
    List<URI> roots = new ArrayList<>();
    for (String part : commaSeparated == null ? new String[0] : commaSeparated.split(",")) {
      if (!part.isBlank()) {
        roots.add(apiRoot(part));
      }
    }
    if (roots.isEmpty()) {
      throw new IllegalArgumentException("no server URL in '" + commaSeparated + "'");
    }
    return roots;
  }
}
