package io.shepherd.server.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The endpoint a resource test exercises, as {@code "METHOD /path/{template}"}. {@link EndpointCoverageTest} checks
 * that every endpoint of the resource model is named by some test, and {@link EndpointRecorder} that each test
 * class reached the endpoints its tests name.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(Endpoint.All.class)
public @interface Endpoint {
  String value();

  /** The container of repeated {@link Endpoint}s. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @interface All {
    Endpoint[] value();
  }
}
