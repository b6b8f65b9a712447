package io.shepherd.cli;

import io.shepherd.client.OutcomeUnknownException;
import io.shepherd.client.ShepherdException;
import io.shepherd.client.UnavailableException;
import io.shepherd.client.ValidationException;
import picocli.CommandLine;

/** Turns every failure into one line on standard error and its exit code. */
final class Failures implements CommandLine.IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    cmd.getErr().println("shepherd: " + message(e));
    cmd.getErr().flush();
    return exitCode(e);
  }

  static int usage(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    cmd.getErr().println("shepherd: " + e.getMessage());
    cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
    cmd.getErr().flush();
    return ExitCodes.BAD_INPUT;
  }

  static String message(Exception e) {
    if (e instanceof ValidationException v) {
      return v.field().map(f -> "invalid " + f + ": " + v.error().message())
          .orElse("invalid request: " + v.getMessage());
    }
    if (e instanceof ShepherdException || e instanceof BadInputException) {
      return e.getMessage();
    }
    return "unexpected error: " + e;
  }

  static int exitCode(Exception e) {
    if (e instanceof BadInputException || e instanceof ValidationException) {
      return ExitCodes.BAD_INPUT;
    }
    if (e instanceof UnavailableException) {
      return ExitCodes.UNAVAILABLE;
    }
    if (e instanceof OutcomeUnknownException) {
      return ExitCodes.OUTCOME_UNKNOWN;
    }
    // RejectedException, UnexpectedResponseException, CallInterruptedException, and anything unforeseen.
    return ExitCodes.REFUSED;
  }
}
