package io.shepherd.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.uri.UriTemplate;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Records which endpoint every request of a resource test reached (a filter after matching), and checks after the
 * test class that each endpoint its tests name with {@link Endpoint} was reached: an {@code @Endpoint} cannot claim
 * an endpoint the class never calls.
 */
public final class EndpointRecorder implements ContainerRequestFilter, BeforeAllCallback, AfterAllCallback {
  private static final Set<String> REACHED = ConcurrentHashMap.newKeySet();

  @Override
  public void filter(ContainerRequestContext request) {
    ExtendedUriInfo uri = (ExtendedUriInfo) request.getUriInfo();
    List<UriTemplate> templates = new ArrayList<>(uri.getMatchedTemplates());
    Collections.reverse(templates);
    String path = templates.stream().map(UriTemplate::getTemplate).collect(Collectors.joining("/"));
    REACHED.add(request.getMethod() + " " + normalize(path));
  }

  /** A path as "/a/{b}/c": one slash between segments, none at the end. */
  static String normalize(String path) {
    return "/" + Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).collect(Collectors.joining("/"));
  }

  /** The endpoints a test class names. */
  static Set<String> named(Class<?> testClass) {
    Set<String> out = new TreeSet<>();
    for (Method m : testClass.getDeclaredMethods()) {
      for (Endpoint e : m.getAnnotationsByType(Endpoint.class)) {
        out.add(e.value());
      }
    }
    return out;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    REACHED.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    assertThat(new TreeSet<>(REACHED))
        .as("endpoints reached by the requests of %s", context.getRequiredTestClass().getSimpleName())
        .containsAll(named(context.getRequiredTestClass()));
  }
}
