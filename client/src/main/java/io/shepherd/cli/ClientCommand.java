package io.shepherd.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.shepherd.api.ShepherdJson;
import io.shepherd.client.ShepherdClient;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that talks to the servers: it gets a client for the call, and the chosen output. */
abstract class ClientCommand implements Callable<Integer> {
  private static final ObjectMapper PRETTY = ShepherdJson.newMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper COMPACT = ShepherdJson.newMapper();

  @Spec CommandSpec spec;

  /** Runs the command with a client that is closed afterwards; returns the exit code. */
  abstract int run(ShepherdClient client) throws Exception;

  @Override
  public final Integer call() throws Exception {
    try (ShepherdClient client = cli().newClient()) {
      return run(client);
    }
  }

  ShepherdCli cli() {
    return (ShepherdCli) spec.root().userObject();
  }

  boolean json() {
    return cli().output() == ShepherdCli.Output.json;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** Prints a value as indented JSON. */
  void printJson(Object value) {
    out().println(write(PRETTY, value));
    out().flush();
  }

  /** A value as JSON on one line, for streams of values. */
  static String compactJson(Object value) {
    return write(COMPACT, value);
  }

  /** Prints a line and flushes. */
  void println(String line) {
    out().println(line);
    out().flush();
  }

  private static String write(ObjectMapper mapper, Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
