package io.shepherd.server.events;

import java.util.OptionalLong;

/**
 * Event ids: totally ordered, and (with ZooKeeper 3.9 and later) the same on every server, because they are made of
 * ZooKeeper's own order. With an older ZooKeeper the zxid is the stand-in the ingest takes from what it read, and
 * ids are only this server's ({@link EventFeed}).
 *
 * <p>{@code id = (zxid << 12) | index}, where {@code zxid} is the ZooKeeper transaction id of the change (carried by
 * every watch notification since ZooKeeper 3.9, deletes included) and {@code index} is the position of the
 * notification among those of the same transaction (a multi-op transaction changes several znodes under one zxid;
 * ZooKeeper notifies them in the transaction's operation order on every server). Every notification under the
 * root counts towards the index, reported or not, so the index does not depend on what a server makes of it.
 *
 * <p>Limits, by construction: at most 4,096 notifications per transaction (the controller commits at most 500
 * operations per transaction); ids stay positive while ZooKeeper's epoch (the zxid's high 32 bits) is below
 * 2^19, i.e. for 524,288 ZooKeeper leader elections.
 */
public final class EventIds {
  /** Bits of the id that hold the index within one transaction. */
  public static final int INDEX_BITS = 12;
  /** The highest index one transaction can give. */
  public static final int MAX_INDEX = (1 << INDEX_BITS) - 1;

  private EventIds() {}

  /** The id of the {@code index}th notification of transaction {@code zxid}. */
  public static long of(long zxid, int index) {
    if (zxid <= 0 || zxid >= (1L << (63 - INDEX_BITS))) {
      throw new IllegalArgumentException("zxid out of range: " + zxid);
    }
    if (index < 0 || index > MAX_INDEX) {
      throw new IllegalArgumentException("index out of range: " + index);
    }
    return (zxid << INDEX_BITS) | index;
  }

  public static long zxid(long id) {
    return id >>> INDEX_BITS;
  }

  public static int index(long id) {
    return (int) (id & MAX_INDEX);
  }

  /** An id as a client sends it back ({@code Last-Event-ID}, {@code ?since=}): a non-negative decimal number. */
  public static OptionalLong parse(String text) {
    if (text == null || text.isBlank()) {
      return OptionalLong.empty();
    }
    try {
      long id = Long.parseLong(text.trim());
      if (id >= 0) {
        return OptionalLong.of(id);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("an event id is a non-negative whole number, got '" + text.trim() + "'");
  }
}
