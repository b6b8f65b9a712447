package io.shepherd.server.faults;

import org.apache.zookeeper.client.FourLetterWordMain;

/** What a ZooKeeper server says about its sessions: a session a client gave up on may still live on the server. */
final class ZkSessions {
  private ZkSessions() {}

  /**
   * Whether the server still tracks {@code sessionId}, by its {@code dump} command (allowed by Curator's test
   * servers), whose session sets list every live session as a line {@code 0x<id>}.
   */
  static boolean alive(int port, long sessionId) throws Exception {
    String dump = FourLetterWordMain.send4LetterWord("127.0.0.1", port, "dump", false, 5_000);
    String id = "0x" + Long.toHexString(sessionId);
    return dump.lines().anyMatch(line -> line.strip().equals(id));
  }
}
