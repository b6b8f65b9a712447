package io.shepherd.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.shepherd.api.Expose;
import io.shepherd.api.Instance;
import io.shepherd.api.PortSpec;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.ReplicaSetSummary;
import io.shepherd.api.RestartPolicy;
import io.shepherd.api.Role;
import io.shepherd.api.RolloutPolicy;
import io.shepherd.api.RolloutState;
import io.shepherd.client.ShepherdClient;
import io.shepherd.server.state.BreakerState;
import io.shepherd.server.state.ServerZnodes;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.Browser;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.TestTokens;
import io.shepherd.server.testing.TestZkAuth;
import io.shepherd.server.testing.ZooKeeperExtension;
import io.shepherd.worker.zk.ZkLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The dashboard's write actions and the cluster state it shows, in headless Chromium against the whole application
 * (embedded agent, real processes): restart and kill a copy, pause, resume, promote and undo a rollout, close the
 * breaker; the leader's epoch, the node's capacity, use, labels and a privileged exposed port its gateway refuses, a
 * copy's host, ports and uptime, a crash loop.
 * The server writes its request log and its own log to files, so that a test can show the token is in neither.
 * {@link DashboardIT} holds the sign-in, live-update, scaling, keyboard and viewer scenarios.
 */
class DashboardActionsIT {
  private static final Path DIR = tempDir();
  private static final Path REQUEST_LOG = DIR.resolve("requests.log");
  private static final Path SERVER_LOG = DIR.resolve("server.log");
  private static final Duration SHOWN = Duration.ofSeconds(20);

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension SERVER = ServerExtension.withLocalAgent("test-server-logged.yml", ZK::connectString,
      "node-l", DIR.resolve("agent"),
      ConfigOverride.config("agent.capacity", "40"),
      ConfigOverride.config("agent.labels.zone", "zone-7"),
      ConfigOverride.config("server.requestLog.appenders[0].currentLogFilename", REQUEST_LOG.toString()),
      ConfigOverride.config("logging.appenders[0].currentLogFilename", SERVER_LOG.toString()));

  private static Browser browser;
  /** The secret of an operator's token (named otto). */
  private static String operator;
  private Api api;

  @BeforeAll
  static void browserAndToken() {
    try (ShepherdClient admin = ShepherdClient.builder().server(SERVER.baseUrl()).token(TestTokens.admin()).build()) {
      operator = admin.createToken("otto", Role.OPERATOR).secret();
    }
    browser = Browser.start();
  }

  @AfterAll
  static void quit() {
    if (browser != null) {
      browser.close();
    }
  }

  @BeforeEach
  void leaderAndFreshTab() {
    api = new Api(SERVER.baseUrl());
    await().atMost(SHOWN).until(() -> api.leader().isLeader());
    browser.openSignedOut(SERVER.baseUrl(), SHOWN);
  }

  @AfterEach
  void screenshotAndNoSetLeft(TestInfo test) throws Exception {
    browser.screenshot("actions-" + test.getTestMethod().orElseThrow().getName());
    for (ReplicaSetSummary s : api.list()) {
      if (!s.deleting()) {
        api.delete(s.name());
      }
    }
    await().atMost(SHOWN).until(() -> api.list().isEmpty());
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("shepherd-dashboard-actions");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void signInAndAwaitTheDashboard(String token) {
    browser.typeToken(token);
    browser.awaitLoaded(SHOWN);
  }

  private String cell(String row, String column) {
    return browser.text(row + " td." + column);
  }

  private String copyRow(String id) {
    return "tr[data-copy='" + id + "']";
  }

  private void open(String name) {
    await().atMost(SHOWN).until(() -> browser.shown("button[data-action=open][data-name='" + name + "']"));
    browser.driver().findElement(By.cssSelector("button[data-action=open][data-name='" + name + "']")).click();
    await().atMost(SHOWN).until(() -> name.equals(browser.text("#detail-name")) && browser.shown("#detail"));
  }

  private void click(String css) {
    await().atMost(SHOWN).until(() -> browser.shown(css));
    browser.driver().findElement(By.cssSelector(css)).click();
  }

  private void awaitNotice(String text) {
    await().atMost(SHOWN).until(() -> String.valueOf(browser.text("#notice")).contains(text));
  }

  private List<Instance> runAndAwait(String name, ReplicaSetSpec spec) throws Exception {
    api.apply(name, spec);
    await().atMost(SHOWN).until(() -> {
      List<Instance> live = api.instances(name);
      return live.size() == spec.replicas() && Processes.allAlive(live);
    });
    return api.instances(name);
  }

  private void deleteAndAwaitGone(String name, String marker) throws Exception {
    api.delete(name);
    await().atMost(SHOWN).until(() -> api.get(name).isEmpty() && Processes.countDescendantsWith(marker) == 0);
  }

  private String rolloutState() {
    return String.valueOf(browser.text("#rollout-state"));
  }

  @Test
  void restartKeepsTheCopyWithANewPidAndKillReplacesIt() throws Exception {
    List<Instance> copies = runAndAwait("hands", ReplicaSetSpec.of(2, List.of("sleep", "4301"))
        .withStopGraceMs(1_000));
    Instance restarted = copies.get(0);
    Instance killed = copies.get(1);
    signInAndAwaitTheDashboard(operator);
    open("hands");
    await().atMost(SHOWN).until(() -> String.valueOf(restarted.pid()).equals(cell(copyRow(restarted.id()), "c-pid")));
    assertThat(cell(copyRow(restarted.id()), "c-restarts")).isEqualTo("0");

    click(copyRow(restarted.id()) + " button[data-action=restart]");
    awaitNotice("asked to restart " + restarted.id());
    await().atMost(SHOWN).until(() -> "1".equals(cell(copyRow(restarted.id()), "c-restarts")));
    assertThat(cell(copyRow(restarted.id()), "c-pid")).as("the same copy, a new process")
        .isNotEqualTo(String.valueOf(restarted.pid()));
    await().atMost(SHOWN).until(() -> !Processes.alive(restarted.pid()));

    click(copyRow(killed.id()) + " button[data-action=kill]");
    awaitNotice("asked to stop " + killed.id());
    await().atMost(SHOWN).until(() -> !browser.shown(copyRow(killed.id()))
        && browser.driver().findElements(By.cssSelector("#copies-body tr[data-copy]")).size() == 2);
    assertThat(browser.text("#copies-count")).isEqualTo("(2)");
    await().atMost(SHOWN).until(() -> "2".equals(cell("tr[data-set='hands']", "c-live")));
    await().atMost(SHOWN).until(() -> !Processes.alive(killed.pid()));
    assertThat(api.instances("hands")).extracting(Instance::id).contains(restarted.id())
        .doesNotContain(killed.id());
    deleteAndAwaitGone("hands", "4301");
  }

  @Test
  void aCanaryRolloutIsPausedResumedPromotedAndUndoneFromThePage() throws Exception {
    RolloutPolicy canary = RolloutPolicy.DEFAULT.withCanary(1);
    runAndAwait("canary", ReplicaSetSpec.of(3, List.of("sleep", "4311")).withStopGraceMs(1_000)
        .withRollout(canary));
    api.apply("canary", ReplicaSetSpec.of(3, List.of("sleep", "4312")).withStopGraceMs(1_000).withRollout(canary));
    await().atMost(SHOWN).until(() -> api.get("canary").orElseThrow().rollout()
        .filter(r -> r.state() == RolloutState.PAUSED && r.updated() == 1).isPresent());

    signInAndAwaitTheDashboard(operator);
    assertThat(cell("tr[data-set='canary']", "c-rollout")).as("the list's first read shows the progress")
        .isEqualTo("paused 1/3 updated");
    open("canary");
    await().atMost(SHOWN).until(() -> rolloutState().contains("paused 1/3 updated")
        && rolloutState().contains("revision 1 → 2") && rolloutState().contains("CANARY_WAITING_FOR_PROMOTE"));

    click("#rollout-actions button[data-rollout=pause]");
    awaitNotice("rollout of canary: pause");
    await().atMost(SHOWN).until(() -> rolloutState().contains("PAUSED_BY_USER"));
    click("#rollout-actions button[data-rollout=promote]");
    awaitNotice("rollout of canary: promote");
    assertThat(rolloutState()).as("still held by the user's pause").contains("paused");
    assertThat(Processes.countDescendantsWith("4312")).isEqualTo(1);
    click("#rollout-actions button[data-rollout=resume]");
    awaitNotice("rollout of canary: resume");
    await().atMost(SHOWN).until(() -> rolloutState().contains("complete 3/3 updated"));
    assertThat(cell("tr[data-set='canary']", "c-rollout")).isEqualTo("complete 3/3 updated");
    await().atMost(SHOWN).until(() -> Processes.countDescendantsWith("4311") == 0);

    click("#rollout-actions button[data-rollout=undo]");
    awaitNotice("rollout of canary: undo");
    // Back to revision 1's template, through the same canary: the rollout pauses after one copy again.
    await().atMost(SHOWN).until(() -> rolloutState().contains("revision 2 → 1")
        && rolloutState().contains("paused 1/3 updated"));
    assertThat(cell("tr[data-set='canary']", "c-rev")).isEqualTo("1");
    await().atMost(SHOWN).until(() -> String.valueOf(browser.text("#revisions-list li[value='1'] .restores"))
        .contains("by otto from revision 2 (undo)"));
    click("#rollout-actions button[data-rollout=promote]");
    await().atMost(SHOWN).until(() -> rolloutState().contains("complete 3/3 updated"));
    await().atMost(SHOWN).until(() -> Processes.countDescendantsWith("4311") == 3
        && Processes.countDescendantsWith("4312") == 0);
    deleteAndAwaitGone("canary", "4311");
  }

  @Test
  void theHeaderTheNodesAndACopyShowWhatTheServerKnows() throws Exception {
    Instance copy = runAndAwait("ported", ReplicaSetSpec.of(1, List.of("sleep", "4321")).withStopGraceMs(1_000)
        .withPorts(List.of(new PortSpec("http"))).withExpose(new Expose(80, "http"))).get(0);
    signInAndAwaitTheDashboard(operator);
    assertThat(browser.text("#epoch")).isEqualTo(String.valueOf(api.leader().epoch()));

    String node = "tr[data-node='node-l']";
    await().atMost(SHOWN).until(() -> String.valueOf(browser.text(node)).contains("1 / 40 (3%)"));
    assertThat(browser.text(node)).contains("127.0.0.1").contains("zone=zone-7");
    // The agent may not bind port 80 (no agent.gateway.allowPrivileged): the row says so in words.
    await().atMost(SHOWN).until(() -> String.valueOf(browser.text(node)).contains("port 80 (ported) not served"));
    assertThat(browser.text(node)).contains("agent.gateway.allowPrivileged");

    open("ported");
    String row = copyRow(copy.id());
    await().atMost(SHOWN).until(() -> String.valueOf(copy.pid()).equals(cell(row, "c-pid")));
    assertThat(cell(row, "c-host")).isEqualTo(copy.host());
    assertThat(cell(row, "c-ports")).isEqualTo("http=" + copy.ports().get("http"));
    String uptime = cell(row, "c-uptime");
    assertThat(uptime).matches("\\d+s|\\d+m \\d\\ds");
    await().atMost(SHOWN).until(() -> !uptime.equals(cell(row, "c-uptime")));
    deleteAndAwaitGone("ported", "4321");
    await().atMost(SHOWN).until(() -> !String.valueOf(browser.text(node)).contains("not served"));
  }

  @Test
  void aSetWhoseCommandExitsAtOnceIsShownInACrashLoop() throws Exception {
    // Without restarts in place, every exit goes to the leader, which counts the failures in a row.
    api.apply("crashing", ReplicaSetSpec.of(1, List.of("sh", "-c", "exit 3")).withStopGraceMs(1_000)
        .withRestart(new RestartPolicy(0, null)));
    signInAndAwaitTheDashboard(operator);
    String row = "tr[data-set='crashing']";
    await().atMost(SHOWN).until(() -> String.valueOf(cell(row, "c-state")).startsWith("⚠ crash loop: "));
    assertThat(cell(row, "c-state")).matches("⚠ crash loop: \\d+ failures?");
    assertThat(cell(row, "c-ready")).isEqualTo("0");
    api.delete("crashing");
    await().atMost(SHOWN).until(() -> api.get("crashing").isEmpty());
  }

  @Test
  void theBreakerShownOpenIsClosedByAnAdminFromThePage() throws Exception {
    signInAndAwaitTheDashboard(TestTokens.admin());
    assertThat(browser.text("#breaker")).isEqualTo("✔ closed");
    assertThat(browser.shown("#breaker-reset")).isFalse();

    // Opened as the leader opens it when most nodes vanish at once: a single-node test cluster cannot lose "most".
    try (CuratorFramework zk = TestZkAuth.serverClient(ZK.connectString(), new RetryOneTime(100))) {
      zk.start();
      zk.blockUntilConnected();
      String breaker = ZkLayout.defaultLayout().breaker();
      byte[] open = ServerZnodes.BREAKER.encode(BreakerState.opened(Instant.now(), 10, "9 of 10 nodes vanished"));
      if (zk.checkExists().forPath(breaker) == null) {
        zk.create().forPath(breaker, open);
      } else {
        zk.setData().forPath(breaker, open);
      }
    }
    await().atMost(SHOWN).until(() -> String.valueOf(browser.text("#breaker")).startsWith("⚠ open: 9 of 10"));

    click("#breaker-reset");
    awaitNotice("breaker closed");
    await().atMost(SHOWN).until(() -> "✔ closed".equals(browser.text("#breaker")));
    assertThat(browser.shown("#breaker-reset")).isFalse();
    assertThat(api.send("GET", "/breaker", null).body()).contains("\"open\":false");
  }

  @Test
  void theTokenIsInNoUrlThePageRequestedAndInNoServerLog() throws Exception {
    Instance copy = runAndAwait("secret", ReplicaSetSpec.of(1, List.of("sh", "-c", "echo hello 4331; exec sleep 4331"))
        .withStopGraceMs(1_000)).get(0);
    signInAndAwaitTheDashboard(operator);
    open("secret");
    click(copyRow(copy.id()) + " button[data-action=log]");
    await().atMost(SHOWN).until(() -> String.valueOf(browser.text("#log-text")).contains("hello 4331"));
    click("#log-stop");
    click(copyRow(copy.id()) + " button[data-action=restart]");
    await().atMost(SHOWN).until(() -> "1".equals(cell(copyRow(copy.id()), "c-restarts")));

    List<String> urls = browser.js("return performance.getEntriesByType('navigation')"
        + ".concat(performance.getEntriesByType('resource')).map(e => e.name)");
    assertThat(urls).as("what the page requested").anyMatch(u -> u.endsWith("/api/v1/whoami"))
        .anyMatch(u -> u.contains("/logs?")).noneMatch(u -> u.contains(operator));
    assertThat(browser.driver().getCurrentUrl()).doesNotContain(operator);

    await().atMost(SHOWN).until(() -> Files.exists(REQUEST_LOG)
        && Files.readString(REQUEST_LOG).contains("/restart"));
    assertThat(Files.readString(REQUEST_LOG)).as("the request log").contains("/api/v1/whoami")
        .doesNotContain(operator);
    assertThat(Files.readString(SERVER_LOG)).as("the server's log").isNotEmpty().doesNotContain(operator);
    deleteAndAwaitGone("secret", "4331");
  }
}
