package io.shepherd.client;

/**
 * Every failure of a {@link ShepherdClient} call. Unchecked; the subclasses form a closed set:
 *
 * <ul>
 *   <li>{@link RejectedException} — a server answered and said no (4xx), with its subclasses
 *       {@link NotFoundException} (404), {@link ConflictException} (409), {@link PreconditionFailedException}
 *       (412) and {@link ValidationException} (400, 422);</li>
 *   <li>{@link UnavailableException} — no configured server could serve the call;</li>
 *   <li>{@link OutcomeUnknownException} — a call that is not safe to repeat reached a server that then failed,
 *       so it may or may not have taken effect;</li>
 *   <li>{@link UnexpectedResponseException} — a server answered with something the client cannot read;</li>
 *   <li>{@link CallInterruptedException} — the calling thread was interrupted.</li>
 * </ul>
 *
 * <p>Every message is one line, fit to show a person.
 */
public abstract sealed class ShepherdException extends RuntimeException
    permits RejectedException, UnavailableException, OutcomeUnknownException, UnexpectedResponseException,
        CallInterruptedException {

  ShepherdException(String message, Throwable cause) {
    super(oneLine(message), cause);
  }

  static String oneLine(String message) {
    return message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
