package io.shepherd.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules a replica set's name and spec must follow. Shared by the server (which enforces them) and the
 * CLI (which reports them before sending anything).
 */
public final class SpecValidation {
  public static final int MAX_REPLICAS = 10_000;
  public static final int MAX_ARGS = 1_000;
  public static final int MAX_ARG_LENGTH = 16_384;
  public static final long MAX_STOP_GRACE_MS = 3_600_000;
  public static final int MAX_PORTS = 16;
  public static final int MAX_PORT_NAME_LENGTH = 15;
  public static final long MAX_PROBE_MS = 3_600_000;
  public static final int MAX_PROBE_THRESHOLD = 1_000;
  public static final int MAX_PROBE_PATH_LENGTH = 2_048;

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,255}");
  private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

  private SpecValidation() {}

  /** Problems with a replica-set name, which becomes a znode name: a DNS label, so no '/', '.', or '..'. */
  public static List<FieldError> validateName(String name) {
    if (name == null || !DNS_LABEL.matcher(name).matches()) {
      return List.of(new FieldError("name",
          "must be a DNS label: 1-63 lowercase letters, digits or '-', starting and ending with a letter or digit"));
    }
    return List.of();
  }

  /** The signals {@code configFile.onChange} may name after {@code signal:}. */
  public static final Set<String> CONFIG_FILE_SIGNALS = Set.of("HUP", "USR1", "USR2");
  public static final int MAX_CONFIG_FILE_PATH_LENGTH = 1_024;

  private static void validateConfigFile(ConfigFileSpec file, List<FieldError> errors) {
    String path = file.path();
    if (path == null || path.isEmpty()) {
      errors.add(new FieldError("configFile.path", "is required: a file name relative to the working directory"));
    } else if (path.startsWith("/") || path.indexOf('\0') >= 0 || path.length() > MAX_CONFIG_FILE_PATH_LENGTH
        || path.endsWith("/")) {
      errors.add(new FieldError("configFile.path", "must be a relative file name of at most "
          + MAX_CONFIG_FILE_PATH_LENGTH + " characters, without NUL"));
    } else if (java.util.Arrays.stream(path.split("/")).anyMatch(s -> s.equals("..") || s.equals(".") || s.isEmpty())) {
      errors.add(new FieldError("configFile.path", "must stay within the working directory: no '..', '.' or '//'"));
    }
    if (!file.format().equals(ConfigFileSpec.JSON) && !file.format().equals(ConfigFileSpec.ENV)) {
      errors.add(new FieldError("configFile.format", "must be json or env"));
    }
    String onChange = file.onChange();
    boolean signal = onChange.startsWith(ConfigFileSpec.SIGNAL_PREFIX)
        && CONFIG_FILE_SIGNALS.contains(onChange.substring(ConfigFileSpec.SIGNAL_PREFIX.length()));
    if (!signal && !onChange.equals(ConfigFileSpec.NONE) && !onChange.equals(ConfigFileSpec.RESTART)) {
      errors.add(new FieldError("configFile.onChange", "must be none, restart, or signal:HUP, signal:USR1 or "
          + "signal:USR2"));
    }
  }

  /** Problems with a replica count. */
  public static List<FieldError> validateReplicas(Integer replicas) {
    if (replicas == null) {
      return List.of(new FieldError("replicas", "is required"));
    }
    if (replicas < 0 || replicas > MAX_REPLICAS) {
      return List.of(new FieldError("replicas", "must be between 0 and " + MAX_REPLICAS));
    }
    return List.of();
  }

  /** Every problem with a spec, empty when it is valid. */
  public static List<FieldError> validate(ReplicaSetSpec spec) {
    List<FieldError> errors = new ArrayList<>(validateReplicas(spec.replicas()));
    validateCommand(spec.command(), errors);
    for (Map.Entry<String, String> e : spec.env().entrySet()) {
      if (e.getKey() == null || !ENV_NAME.matcher(e.getKey()).matches()) {
        errors.add(new FieldError("env", "variable names are letters, digits and '_', not starting with a digit: "
            + printable(e.getKey())));
      } else if (e.getValue() == null || e.getValue().indexOf('\0') >= 0) {
        errors.add(new FieldError("env." + e.getKey(), "must be a string without NUL characters"));
      }
    }
    if (spec.configFile() != null) {
      validateConfigFile(spec.configFile(), errors);
    }
    spec.workingDir().ifPresent(dir -> {
      if (!dir.startsWith("/") || dir.indexOf('\0') >= 0) {
        errors.add(new FieldError("workingDir", "must be an absolute path"));
      }
    });
    if (spec.stopGraceMs() < 0 || spec.stopGraceMs() > MAX_STOP_GRACE_MS) {
      errors.add(new FieldError("stopGraceMs", "must be between 0 and " + MAX_STOP_GRACE_MS));
    }
    for (Map.Entry<String, String> e : spec.nodeSelector().entrySet()) {
      if (e.getKey() == null || !LABEL.matcher(e.getKey()).matches()
          || e.getValue() == null || !LABEL.matcher(e.getValue()).matches()) {
        errors.add(new FieldError("nodeSelector", "labels are 1-63 letters, digits, '-', '_' or '.': "
            + printable(e.getKey())));
      }
    }
    validatePorts(spec.ports(), errors);
    validateProbe("startup", spec.startup(), true, spec, errors);
    validateProbe("liveness", spec.liveness(), true, spec, errors);
    validateProbe("readiness", spec.readiness(), false, spec, errors);
    CrashLoopPolicy c = spec.crashLoop();
    if (c.minUptimeMs() < 0) {
      errors.add(new FieldError("crashLoop.minUptimeMs", "must not be negative"));
    }
    if (c.initialBackoffMs() < 0) {
      errors.add(new FieldError("crashLoop.initialBackoffMs", "must not be negative"));
    }
    if (c.maxBackoffMs() < c.initialBackoffMs()) {
      errors.add(new FieldError("crashLoop.maxBackoffMs", "must not be below initialBackoffMs"));
    }
    if (c.resetAfterMs() < 0) {
      errors.add(new FieldError("crashLoop.resetAfterMs", "must not be negative"));
    }
    RestartPolicy r = spec.restart();
    if (r.localAttempts() < 0 || r.localAttempts() > MAX_LOCAL_ATTEMPTS) {
      errors.add(new FieldError("restart.localAttempts", "must be between 0 and " + MAX_LOCAL_ATTEMPTS));
    }
    if (r.windowMs() < 1) {
      errors.add(new FieldError("restart.windowMs", "must be at least 1"));
    }
    validateRollout(spec.rollout(), errors);
    validateExpose(spec, errors);
    return errors;
  }

  private static void validateExpose(ReplicaSetSpec spec, List<FieldError> errors) {
    Expose expose = spec.expose();
    if (expose == null) {
      return;
    }
    if (expose.port() == null || expose.port() < 1 || expose.port() > 65_535) {
      errors.add(new FieldError("expose.port", "must be between 1 and 65535"));
    }
    if (expose.targetPort() == null || !spec.portNames().contains(expose.targetPort())) {
      errors.add(new FieldError("expose.targetPort", "must name one of the spec's ports " + spec.portNames() + ": "
          + printable(expose.targetPort())));
    }
  }

  private static final int MAX_LOCAL_ATTEMPTS = 1_000;
  public static final long MAX_PROGRESS_DEADLINE_MS = 86_400_000L;

  private static void validateRollout(RolloutPolicy r, List<FieldError> errors) {
    boolean surgeValid = validateBound("rollout.maxSurge", r.maxSurge(), errors);
    boolean unavailableValid = validateBound("rollout.maxUnavailable", r.maxUnavailable(), errors);
    if (surgeValid && unavailableValid && r.maxSurge().number() == 0 && r.maxUnavailable().number() == 0) {
      errors.add(new FieldError("rollout.maxSurge",
          "must not be 0 when rollout.maxUnavailable is 0 too: a rollout could never replace a copy"));
    }
    if (r.minReadyMs() < 0 || r.minReadyMs() > MAX_PROBE_MS) {
      errors.add(new FieldError("rollout.minReadyMs", "must be between 0 and " + MAX_PROBE_MS));
    }
    if (r.progressDeadlineMs() < 1 || r.progressDeadlineMs() > MAX_PROGRESS_DEADLINE_MS) {
      errors.add(new FieldError("rollout.progressDeadlineMs", "must be between 1 and " + MAX_PROGRESS_DEADLINE_MS));
    }
    if (r.canary() < 0 || r.canary() > MAX_REPLICAS) {
      errors.add(new FieldError("rollout.canary", "must be between 0 and " + MAX_REPLICAS));
    }
  }

  private static boolean validateBound(String field, IntOrPercent bound, List<FieldError> errors) {
    if (!bound.isValid()) {
      errors.add(new FieldError(field, "must be a count (like 1) or a percentage (like \"25%\"): "
          + printable(bound.text())));
      return false;
    }
    if (bound.isPercent() && bound.number() > 100) {
      errors.add(new FieldError(field, "must be a percentage between 0% and 100%: " + bound.text()));
      return false;
    }
    if (!bound.isPercent() && bound.number() > MAX_REPLICAS) {
      errors.add(new FieldError(field, "must be between 0 and " + MAX_REPLICAS + ": " + bound.text()));
      return false;
    }
    return true;
  }

  private static void validateCommand(List<String> command, List<FieldError> errors) {
    if (command == null || command.isEmpty()) {
      errors.add(new FieldError("command", "must be a non-empty array of strings (an argv, not a shell line)"));
      return;
    }
    if (command.size() > MAX_ARGS) {
      errors.add(new FieldError("command", "must have at most " + MAX_ARGS + " elements"));
      return;
    }
    for (int i = 0; i < command.size(); i++) {
      String arg = command.get(i);
      if (arg == null) {
        errors.add(new FieldError("command[" + i + "]", "must be a string, not null"));
      } else if (arg.indexOf('\0') >= 0) {
        errors.add(new FieldError("command[" + i + "]", "must not contain NUL characters"));
      } else if (arg.length() > MAX_ARG_LENGTH) {
        errors.add(new FieldError("command[" + i + "]", "must be at most " + MAX_ARG_LENGTH + " characters"));
      }
    }
    String program = command.get(0);
    if (program != null && (program.isBlank() || program.startsWith("-"))) {
      errors.add(new FieldError("command[0]", "must name a program (not empty, not starting with '-')"));
    }
  }

  private static void validatePorts(List<PortSpec> ports, List<FieldError> errors) {
    if (ports.size() > MAX_PORTS) {
      errors.add(new FieldError("ports", "must have at most " + MAX_PORTS + " elements"));
      return;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      PortSpec port = ports.get(i);
      String field = "ports[" + i + "].name";
      if (port == null || port.name() == null) {
        errors.add(new FieldError(field, "is required"));
      } else if (port.name().length() > MAX_PORT_NAME_LENGTH || !PORT_NAME.matcher(port.name()).matches()) {
        errors.add(new FieldError(field, "must be 1-" + MAX_PORT_NAME_LENGTH
            + " lowercase letters, digits or '-', starting and ending with a letter or digit: "
            + printable(port.name())));
      } else if (!seen.add(port.name())) {
        errors.add(new FieldError(field, "must be unique within the spec: " + port.name() + " is named twice"));
      }
    }
  }

  private static void validateProbe(
      String field, Probe probe, boolean successMustBeOne, ReplicaSetSpec spec, List<FieldError> errors) {
    if (probe == null) {
      return;
    }
    int kinds = (probe.exec() == null ? 0 : 1) + (probe.http() == null ? 0 : 1) + (probe.tcp() == null ? 0 : 1);
    if (kinds != 1) {
      errors.add(new FieldError(field, "must have exactly one of exec, http or tcp"));
    }
    if (probe.exec() != null) {
      List<String> command = probe.exec().command();
      if (command == null || command.isEmpty() || command.size() > MAX_ARGS) {
        errors.add(new FieldError(field + ".exec.command",
            "must be a non-empty array of at most " + MAX_ARGS + " strings (an argv, not a shell line)"));
      } else {
        for (int i = 0; i < command.size(); i++) {
          String arg = command.get(i);
          if (arg == null || arg.indexOf('\0') >= 0 || arg.length() > MAX_ARG_LENGTH) {
            errors.add(new FieldError(field + ".exec.command[" + i + "]",
                "must be a string of at most " + MAX_ARG_LENGTH + " characters without NUL"));
          }
        }
        String program = command.get(0);
        if (program != null && (program.isBlank() || program.startsWith("-"))) {
          errors.add(new FieldError(field + ".exec.command[0]",
              "must name a program (not empty, not starting with '-')"));
        }
      }
    }
    if (probe.http() != null) {
      validateProbePort(field + ".http.port", probe.http().port(), spec, errors);
      String path = probe.http().path();
      if (!path.startsWith("/") || path.length() > MAX_PROBE_PATH_LENGTH || !path.matches("[\\x21-\\x7e]*")) {
        errors.add(new FieldError(field + ".http.path", "must start with '/', be at most " + MAX_PROBE_PATH_LENGTH
            + " printable characters, without spaces"));
      }
    }
    if (probe.tcp() != null) {
      validateProbePort(field + ".tcp.port", probe.tcp().port(), spec, errors);
    }
    if (probe.initialDelayMs() < 0 || probe.initialDelayMs() > MAX_PROBE_MS) {
      errors.add(new FieldError(field + ".initialDelayMs", "must be between 0 and " + MAX_PROBE_MS));
    }
    if (probe.periodMs() < 1 || probe.periodMs() > MAX_PROBE_MS) {
      errors.add(new FieldError(field + ".periodMs", "must be between 1 and " + MAX_PROBE_MS));
    }
    if (probe.timeoutMs() < 1 || probe.timeoutMs() > MAX_PROBE_MS) {
      errors.add(new FieldError(field + ".timeoutMs", "must be between 1 and " + MAX_PROBE_MS));
    }
    if (probe.failureThreshold() < 1 || probe.failureThreshold() > MAX_PROBE_THRESHOLD) {
      errors.add(new FieldError(field + ".failureThreshold", "must be between 1 and " + MAX_PROBE_THRESHOLD));
    }
    if (successMustBeOne && probe.successThreshold() != 1) {
      errors.add(new FieldError(field + ".successThreshold", "must be 1"));
    } else if (probe.successThreshold() < 1 || probe.successThreshold() > MAX_PROBE_THRESHOLD) {
      errors.add(new FieldError(field + ".successThreshold", "must be between 1 and " + MAX_PROBE_THRESHOLD));
    }
  }

  private static void validateProbePort(String field, String port, ReplicaSetSpec spec, List<FieldError> errors) {
    if (port == null || !spec.portNames().contains(port)) {
      errors.add(new FieldError(field, "must name one of the spec's ports " + spec.portNames() + ": "
          + printable(port)));
    }
  }

  private static String printable(String s) {
    return s == null ? "null" : s.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
