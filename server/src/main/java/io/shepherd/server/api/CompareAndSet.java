package io.shepherd.server.api;

import java.util.OptionalInt;
import java.util.function.Supplier;
import org.apache.zookeeper.KeeperException;

/**
 * The retry loop of a REST write that is a compare-and-set on a znode's version (the ETag). Each attempt reads the
 * znode and writes at a version; ZooKeeper refuses the write with {@code BADVERSION} when the znode changed between
 * the two. Without {@code If-Match} the write is at the version just read, so a race reads again, at most
 * {@link #MAX_ATTEMPTS} times, and a znode that keeps changing is a 409. With {@code If-Match} the write is at the
 * caller's version, so a race means the caller's version is no longer current: a 412 at once.
 */
final class CompareAndSet {
  static final int MAX_ATTEMPTS = 10;

  private CompareAndSet() {}

  /** One read and versioned write. */
  @FunctionalInterface
  interface Attempt<T> {
    /**
     * @throws KeeperException.BadVersionException when what was read changed before the write: try again
     */
    T run() throws Exception;
  }

  /**
   * Runs {@code attempt} until it writes.
   *
   * @param ifMatch  the caller's {@code If-Match} version, if any
   * @param mismatch the 412 when a write at the caller's version lost a race
   * @param tooOften the 409 when every attempt lost a race
   */
  static <T> T run(OptionalInt ifMatch, Supplier<ApiException> mismatch, Supplier<ApiException> tooOften,
      Attempt<T> attempt) throws Exception {
    for (int i = 0; i < MAX_ATTEMPTS; i++) {
      try {
        return attempt.run();
      } catch (KeeperException.BadVersionException e) {
        if (ifMatch.isPresent()) {
          throw mismatch.get();
        }
      }
    }
    throw tooOften.get();
  }
}
