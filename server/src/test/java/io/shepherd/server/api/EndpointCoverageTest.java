package io.shepherd.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * Every endpoint of the REST API has resource tests: the endpoints are read from Jersey's model of every resource
 * class of the server, and must be exactly those the {@code *ResourceTest} classes name with {@link Endpoint} (each
 * of which checks, through {@link EndpointRecorder}, that it reached them). A new endpoint without tests, or a test
 * naming an endpoint that is gone, fails here.
 */
public class EndpointCoverageTest {
  private static final String SERVER = "io.shepherd.server";

  /** The server's resource classes, found as Jersey finds them when scanning packages. */
  public static Set<Class<?>> resourceClasses() {
    return new ResourceConfig().packages(true, SERVER).getClasses().stream()
        .filter(c -> c.isAnnotationPresent(Path.class))
        .collect(Collectors.toSet());
  }

  /** "METHOD /path" for every resource method, child resources included; a sub-resource locator is flagged. */
  public static Set<String> endpoints(Set<Class<?>> classes) {
    Set<String> out = new TreeSet<>();
    classes.forEach(c -> walk(Resource.from(c), "", out));
    return out;
  }

  private static void walk(Resource resource, String prefix, Set<String> out) {
    String path = prefix + "/" + resource.getPath();
    for (ResourceMethod method : resource.getResourceMethods()) {
      out.add(method.getHttpMethod() + " " + EndpointRecorder.normalize(path));
    }
    if (resource.getResourceLocator() != null) {
      out.add("LOCATOR " + EndpointRecorder.normalize(path) + " (cover what it returns, then name it here)");
    }
    resource.getChildResources().forEach(child -> walk(child, path, out));
  }

  static List<Class<?>> resourceTests() {
    return ReflectionSupport.findAllClassesInPackage(SERVER, c -> c.getSimpleName().endsWith("ResourceTest"),
        name -> true);
  }

  @Test
  void theModelHasTheEndpointsOfTheReadmeTable() {
    Set<String> endpoints = endpoints(resourceClasses());
    assertThat(endpoints).contains(
        "GET /api/v1/replicasets", "PUT /api/v1/replicasets/{name}", "GET /api/v1/replicasets/{name}",
        "DELETE /api/v1/replicasets/{name}", "PUT /api/v1/replicasets/{name}/replicas",
        "GET /api/v1/replicasets/{name}/instances", "DELETE /api/v1/replicasets/{name}/instances/{id}",
        "GET /api/v1/replicasets/{name}/instances/{id}/logs", "GET /api/v1/nodes", "GET /api/v1/leader",
        "GET /api/v1/events", "GET /api/v1/config/{name}/{key}", "PUT /api/v1/config/{name}/{key}",
        "DELETE /api/v1/config/{name}/{key}", "GET /api/v1/breaker", "PUT /api/v1/breaker", "GET /metrics");
  }

  @Test
  void everyEndpointIsNamedByAResourceTestAndEveryNamedEndpointExists() {
    Set<String> named = new TreeSet<>();
    resourceTests().forEach(c -> named.addAll(EndpointRecorder.named(c)));
    assertThat(named).as("endpoints named by @Endpoint in %s", resourceTests())
        .containsExactlyInAnyOrderElementsOf(endpoints(resourceClasses()));
  }

  @Test
  void everyResourceTestChecksThatItReachesTheEndpointsItNames() {
    assertThat(resourceTests()).hasSizeGreaterThanOrEqualTo(resourceClasses().size());
    for (Class<?> test : resourceTests()) {
      ExtendWith extensions = test.getAnnotation(ExtendWith.class);
      assertThat(extensions).as(test.getSimpleName() + " has @ExtendWith").isNotNull();
      assertThat(Arrays.asList(extensions.value())).as(test.getSimpleName()).contains(EndpointRecorder.class);
    }
  }
}
