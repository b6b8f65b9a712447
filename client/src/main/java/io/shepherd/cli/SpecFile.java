package io.shepherd.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.shepherd.api.FieldError;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.ShepherdJson;
import io.shepherd.api.SpecValidation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The file {@code shepherd apply -f} reads: one replica set, as a flat spec with its {@code name} beside the spec's
 * fields, in YAML or JSON.
 *
 * <pre>
 * name: web
 * replicas: 3
 * command: [python3, -m, http.server, "8080"]
 * env: {PYTHONUNBUFFERED: "1"}
 * </pre>
 *
 * <p>JSON is chosen for a {@code .json} file or content starting with {@code {}, YAML otherwise. Unknown fields are
 * errors (a misspelt {@code replica} must not silently default), and the spec is checked with
 * {@link SpecValidation} before anything is sent.
 */
final class SpecFile {
  /** A replica set read from a file: its name and spec. */
  record Named(String name, ReplicaSetSpec spec) {}

  private static final ObjectMapper JSON = ShepherdJson.newMapper();
  private static final ObjectMapper YAML = ShepherdJson.configure(new YAMLMapper());

  private SpecFile() {}

  /** Reads and checks {@code file} ({@code -} for {@code stdin}); every problem is a {@link BadInputException}. */
  static Named read(String file, InputStream stdin) {
    String text;
    try {
      text = file.equals("-")
          ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8)
          : Files.readString(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new BadInputException(file + ": no such file");
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot read: " + e.getMessage(), e);
    }
    return parse(file, text);
  }

  static Named parse(String file, String text) {
    boolean json = file.toLowerCase(Locale.ROOT).endsWith(".json") || text.stripLeading().startsWith("{");
    ObjectMapper mapper = json ? JSON : YAML;
    JsonNode root;
    try {
      root = mapper.readTree(text);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new BadInputException(file + ": not valid " + (json ? "JSON" : "YAML") + where + ": "
          + firstLine(e.getOriginalMessage()), e);
    }
    if (root == null || !root.isObject()) {
      throw new BadInputException(file + ": must hold one replica set: a map with a name and the spec's fields");
    }
    JsonNode name = ((ObjectNode) root).remove("name");
    if (name == null || !name.isTextual()) {
      throw new BadInputException(file + ": name: is required, a string");
    }
    ReplicaSetSpec spec;
    try {
      spec = mapper.treeToValue(root, ReplicaSetSpec.class);
    } catch (JsonProcessingException e) {
      throw new BadInputException(file + ": " + describe(e), e);
    }
    List<FieldError> errors = new ArrayList<>(SpecValidation.validateName(name.asText()));
    errors.addAll(SpecValidation.validate(spec));
    if (!errors.isEmpty()) {
      throw new BadInputException(file + ": " + errors.stream().map(FieldError::toString)
          .collect(Collectors.joining("; ")));
    }
    return new Named(name.asText(), spec);
  }

  private static String describe(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      String known = u.getKnownPropertyIds() == null ? "" : " (known fields: name, "
          + u.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")";
      return field(u) + ": unknown field" + known;
    }
    if (e instanceof InvalidFormatException f) {
      return field(f) + ": '" + f.getValue() + "' is not " + typeName(f.getTargetType());
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      if (field(m).equals("command")) {
        return "command: must be a list of arguments, e.g. [python3, app.py]: it is run without a shell";
      }
      return field(m) + ": must be " + typeName(m.getTargetType());
    }
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      return field(m) + ": " + firstLine(m.getOriginalMessage());
    }
    return firstLine(e.getOriginalMessage());
  }

  private static String typeName(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (type == String.class) {
      return "a string";
    }
    if (List.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (java.util.Map.class.isAssignableFrom(type)) {
      return "a map";
    }
    if (type.isEnum()) {
      return "one of " + java.util.Arrays.stream(type.getEnumConstants()).map(String::valueOf)
          .collect(Collectors.joining(", "));
    }
    return "a " + type.getSimpleName();
  }

  /** The dotted path of the field at fault, e.g. {@code crashLoop.minUptimeMs} or {@code command[1]}. */
  private static String field(JsonMappingException e) {
    StringBuilder field = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        field.append(field.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        field.append('[').append(ref.getIndex()).append(']');
      }
    }
    return field.length() == 0 ? "(top level)" : field.toString();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }
}
