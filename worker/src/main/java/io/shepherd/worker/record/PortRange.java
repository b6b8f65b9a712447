package io.shepherd.worker.record;

/**
 * The ports a node lends its copies, {@code from} to {@code to} inclusive: published in its {@link NodeRecord}, picked
 * from by the leader.
 *
 * @param from the lowest port, at least 1
 * @param to   the highest port, at most 65535 and not below {@code from}
 */
public record PortRange(int from, int to) {
  /**
   * The lowest port an agent lends to copies, or binds for an exposed port, unless its configuration allows
   * privileged ports explicitly.
   */
  public static final int LOWEST_UNPRIVILEGED = 1024;
  public static final int HIGHEST = 65_535;
  /** The default range: below Linux's ephemeral ports (32768 and up), so outgoing connections do not take them. */
  public static final PortRange DEFAULT = new PortRange(20_000, 29_999);

  public PortRange {
    if (from < 1 || to > HIGHEST || from > to) {
      throw new IllegalArgumentException(
          "a port range is from <= to within 1.." + HIGHEST + ", got " + from + ".." + to);
    }
  }

  /** How many ports it holds. */
  public int size() {
    return to - from + 1;
  }

  public boolean contains(int port) {
    return port >= from && port <= to;
  }

  @Override
  public String toString() {
    return from + ".." + to;
  }
}
