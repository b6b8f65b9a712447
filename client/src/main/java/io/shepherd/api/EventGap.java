package io.shepherd.api;

/**
 * News, in an event stream, that some events may be missing from it: those with ids after {@code after} up to and
 * including {@code upTo}. The server that answered no longer keeps them (its history is bounded), or they happened
 * before it watched. The stream goes on with the oldest event it still has. A reader that must see every change
 * (a cache, say) reads the current state again when told.
 *
 * @param after   the resume point asked for
 * @param upTo    the last id that may be missing
 * @param message a line for a person
 */
public record EventGap(long after, long upTo, String message) {
  /** The SSE event type of the frame that carries a gap (it has no {@code id}: it is no event of the cluster). */
  public static final String SSE_TYPE = "gap";
}
