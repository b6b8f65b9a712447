package io.shepherd.server.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.shepherd.api.ErrorMessage;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;
import java.util.Optional;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every failure becomes an {@link ErrorMessage}: bad input a 4xx naming the field, ZooKeeper trouble a 503, and
 * nothing a stack trace. These replace Dropwizard's default mappers (registered off in the application).
 */
public final class ErrorMappers {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMappers.class);

  private ErrorMappers() {}

  public static List<Object> all() {
    return List.of(new ApiMapper(), new JsonMapper(), new KeeperMapper(), new WebMapper(), new FallbackMapper());
  }

  static Response error(int status, String message, Optional<String> field) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ErrorMessage(status, message, field))
        .build();
  }

  /** Our own refusals. */
  public static final class ApiMapper implements ExceptionMapper<ApiException> {
    @Override
    public Response toResponse(ApiException e) {
      return error(e.status(), e.getMessage(), e.field());
    }
  }

  /** Malformed JSON and wrong types: 400, naming the field by its JSON path. */
  public static final class JsonMapper implements ExceptionMapper<JsonProcessingException> {
    @Override
    public Response toResponse(JsonProcessingException e) {
      Optional<ApiException> refusal = refusalWithin(e);
      if (refusal.isPresent()) {
        return new ApiMapper().toResponse(refusal.get());
      }
      if (e instanceof JsonParseException || e.getCause() instanceof JsonParseException
          || !(e instanceof JsonMappingException m)) {
        return error(400, "malformed JSON: " + firstLine(e.getOriginalMessage()), Optional.empty());
      }
      String field = path(m);
      if (m instanceof UnrecognizedPropertyException u) {
        return error(400, "unknown field '" + field + "'", Optional.of(field));
      }
      if (m instanceof InvalidFormatException f) {
        return error(400, field + " has the wrong type: expected " + f.getTargetType().getSimpleName(),
            Optional.of(field));
      }
      if (m instanceof MismatchedInputException mi && mi.getTargetType() != null && !field.isEmpty()) {
        return error(400, field + " has the wrong type: expected " + typeName(mi.getTargetType()), Optional.of(field));
      }
      return error(400, (field.isEmpty() ? "request body" : field) + ": " + firstLine(m.getOriginalMessage()),
          field.isEmpty() ? Optional.empty() : Optional.of(field));
    }

    private static String path(JsonMappingException m) {
      StringBuilder sb = new StringBuilder();
      for (JsonMappingException.Reference ref : m.getPath()) {
        if (ref.getFieldName() != null) {
          if (sb.length() > 0) {
            sb.append('.');
          }
          sb.append(ref.getFieldName());
        } else if (ref.getIndex() >= 0) {
          sb.append('[').append(ref.getIndex()).append(']');
        }
      }
      return sb.toString();
    }

    private static String typeName(Class<?> type) {
      if (List.class.isAssignableFrom(type)) {
        return "an array";
      }
      if (java.util.Map.class.isAssignableFrom(type)) {
        return "an object";
      }
      return type.getSimpleName();
    }
  }

  /** ZooKeeper could not be reached or refused: nothing was written, try again. */
  public static final class KeeperMapper implements ExceptionMapper<KeeperException> {
    @Override
    public Response toResponse(KeeperException e) {
      LOG.warn("ZooKeeper error serving a request: {}", e.toString());
      return error(503, "ZooKeeper is unavailable (" + e.code() + "); nothing was written, try again",
          Optional.empty());
    }
  }

  /** Jersey's own errors (404 for unknown paths, 405, 406, 415): keep the status, use our body. */
  public static final class WebMapper implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException e) {
      int status = e.getResponse().getStatus();
      String message = status == 404 ? "no such resource" : firstLine(e.getMessage());
      return error(status, message, Optional.empty());
    }
  }

  /** Anything else is our bug: logged with its trace, answered without one. */
  public static final class FallbackMapper implements ExceptionMapper<Throwable> {
    @Override
    public Response toResponse(Throwable e) {
      Optional<ApiException> refusal = refusalWithin(e);
      if (refusal.isPresent()) {
        return new ApiMapper().toResponse(refusal.get());
      }
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.error("unexpected error serving a request", e);
      return error(503, "the server could not complete the request: " + e.getClass().getSimpleName(),
          Optional.empty());
    }
  }

  /** A refusal raised while the body was being read (too large) arrives wrapped by Jackson or Jersey. */
  static Optional<ApiException> refusalWithin(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApiException api) {
        return Optional.of(api);
      }
    }
    return Optional.empty();
  }

  static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
