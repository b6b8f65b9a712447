package io.shepherd.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.testing.LoopbackPort;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.Browser;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.TestTokens;
import io.shepherd.server.testing.ZooKeeperExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;

/**
 * The dashboard outlives its server: while the page cannot reach it, the server restarts (on the same port) and a set
 * is created; the restarted server does not have the events the page missed, so when the page reconnects with its
 * {@code Last-Event-ID} it is told of a gap, reads everything again, and shows the new set, without a reload.
 */
class DashboardReconnectIT {
  private static final Duration SHOWN = Duration.ofSeconds(30);

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  private static ServerExtension server(int port, Path agentDir) {
    return ServerExtension.withLocalAgent(ZK::connectString, "node-a", agentDir,
        ConfigOverride.config("server.applicationConnectors[0].port", Integer.toString(port)));
  }

  @Test
  void aPageThatMissedEventsWhileItsServerRestartedIsToldOfTheGapAndReadsEverythingAgain() throws Exception {
    int port = LoopbackPort.free();
    Path agentDir = Files.createTempDirectory("shepherd-dashboard-reconnect");
    ServerExtension first = server(port, agentDir);
    ServerExtension second = server(port, agentDir);
    Api api = new Api("http://127.0.0.1:" + port);
    try (Browser browser = Browser.start()) {
      first.start();
      await().atMost(SHOWN).until(() -> api.leader().isLeader());
      api.apply("before", ReplicaSetSpec.of(0, List.of("sleep", "4201")));
      browser.driver().get("http://127.0.0.1:" + port + "/");
      browser.typeToken(TestTokens.admin());
      await().atMost(SHOWN).until(() -> browser.shown("tr[data-set='before']")
          && "● live".equals(browser.text("#stream-state")));
      browser.js("window.noReload = 'still the same page'");

      // The page loses the server, and stays offline until the restarted server has seen changes of its own.
      ChromiumNetworkConditions offline = new ChromiumNetworkConditions();
      offline.setOffline(true);
      browser.driver().setNetworkConditions(offline);
      first.stop();
      await().atMost(SHOWN).until(() -> String.valueOf(browser.text("#stream-state")).startsWith("○"));
      second.start();
      await().atMost(SHOWN).until(() -> api.leader().isLeader());
      api.apply("during", ReplicaSetSpec.of(0, List.of("sleep", "4202")));
      assertThat(browser.shown("tr[data-set='during']")).isFalse();
      browser.driver().deleteNetworkConditions();

      await().atMost(SHOWN).until(() -> browser.shown("tr[data-set='during']"));
      assertThat(browser.text("#notice")).contains("Some events may have been missed");
      assertThat(browser.shown("tr[data-set='before']")).isTrue();
      await().atMost(SHOWN).until(() -> "● live".equals(browser.text("#stream-state")));
      // And it follows the restarted server live from there.
      api.apply("after", ReplicaSetSpec.of(0, List.of("sleep", "4203")));
      await().atMost(SHOWN).until(() -> browser.shown("tr[data-set='after']"));
      browser.screenshot("reconnectedAfterAGap");
      assertThat((String) browser.js("return window.noReload || null")).isEqualTo("still the same page");
      for (String name : List.of("before", "during", "after")) {
        api.delete(name);
      }
    } finally {
      first.stop();
      second.stop();
    }
  }
}
