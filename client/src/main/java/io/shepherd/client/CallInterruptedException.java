package io.shepherd.client;

/**
 * The thread making the call was interrupted while it waited for a server. The thread's interrupt status is set
 * again before this is thrown, so the interruption is not lost.
 */
public final class CallInterruptedException extends ShepherdException {
  CallInterruptedException(String call, InterruptedException cause) {
    super(call + " was interrupted", cause);
  }
}
