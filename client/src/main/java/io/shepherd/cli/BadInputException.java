package io.shepherd.cli;

/** Input the CLI refuses before sending anything: exit code {@link ExitCodes#BAD_INPUT}. */
final class BadInputException extends RuntimeException {
  BadInputException(String message) {
    super(message);
  }

  BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
