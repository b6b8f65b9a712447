package io.shepherd.worker;

import java.util.concurrent.CountDownLatch;
import org.apache.curator.test.TestingServer;

/**
 * A throwaway in-process ZooKeeper for trying the agent jar by hand (not a test):
 * {@code java -cp <test classpath> io.shepherd.worker.LocalZooKeeper [port]}. Prints its connect string; Ctrl-C
 * stops it and deletes its data.
 */
public final class LocalZooKeeper {
  private LocalZooKeeper() {}

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 2181;
    TestingServer server = new TestingServer(port, true);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close();
      } catch (Exception e) {
        e.printStackTrace();
      } finally {
        stopped.countDown();
      }
    }));
    System.out.println("ZooKeeper at " + server.getConnectString());
    stopped.await();
  }
}
