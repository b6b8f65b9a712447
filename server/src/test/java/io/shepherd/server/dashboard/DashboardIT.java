package io.shepherd.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.Instance;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.Role;
import io.shepherd.client.ShepherdClient;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.Browser;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.TestTokens;
import io.shepherd.server.testing.ZooKeeperExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real browser (headless Chromium) against the whole application with its embedded agent and
 * real processes. Every change is watched arrive without a reload: the page is marked ({@code window.noReload})
 * after signing in, and each test checks at its end that the mark is still there. The operator and viewer tokens are
 * made over REST with the tests' admin token. Screenshots go to {@code target/screenshots/}; {@code dashboard.png}
 * (a set after a rolling update: its copies, rollout and revisions) is the README's.
 */
class DashboardIT {
  private static final Path AGENT_DIR = tempDir();
  private static final Duration SHOWN = Duration.ofSeconds(20);

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension SERVER = ServerExtension.withLocalAgent(ZK::connectString, "node-a", AGENT_DIR);

  private static Browser browser;
  /** The secrets of an operator's token (named otto) and a viewer's (vera). */
  private static String operator;
  private static String viewer;
  private Api api;

  @BeforeAll
  static void browserAndTokens() {
    try (ShepherdClient admin = ShepherdClient.builder().server(SERVER.baseUrl()).token(TestTokens.admin()).build()) {
      operator = admin.createToken("otto", Role.OPERATOR).secret();
      viewer = admin.createToken("vera", Role.VIEWER).secret();
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
  void screenshot(TestInfo test) {
    browser.screenshot(test.getTestMethod().orElseThrow().getName());
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("shepherd-dashboard");
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Types a token into the login form, submits it with Enter, and marks the page to detect reloads. */
  private void signIn(String token) {
    browser.typeToken(token);
  }

  private void signInAndAwaitTheDashboard(String token) {
    signIn(token);
    browser.awaitLoaded(SHOWN);
    browser.js("window.noReload = 'still the same page'");
  }

  private void assertNotReloaded() {
    assertThat((String) browser.js("return window.noReload || null")).as("the page was not reloaded")
        .isEqualTo("still the same page");
  }

  private String cell(String row, String column) {
    return browser.text(row + " td." + column);
  }

  private List<Instance> runAndAwait(String name, int copies, String marker) throws Exception {
    api.apply(name, ReplicaSetSpec.of(copies, List.of("sleep", marker)).withStopGraceMs(1_000));
    await().atMost(SHOWN).until(() -> {
      List<Instance> live = api.instances(name);
      return live.size() == copies && Processes.allAlive(live);
    });
    return api.instances(name);
  }

  private void deleteAndAwaitGone(String name, String marker) throws Exception {
    api.delete(name);
    await().atMost(SHOWN).until(() -> api.get(name).isEmpty() && Processes.countDescendantsWith(marker) == 0);
  }

  /** Opens a set from the list with the keyboard: its name is a button, Enter opens it. */
  private void open(String name) {
    await().atMost(SHOWN).until(() -> browser.shown("button[data-action=open][data-name='" + name + "']"));
    browser.driver().findElement(By.cssSelector("button[data-action=open][data-name='" + name + "']"))
        .sendKeys(Keys.ENTER);
    await().atMost(SHOWN).until(() -> name.equals(browser.text("#detail-name")) && browser.shown("#detail"));
  }

  @Test
  void aRefusedTokenKeepsTheLoginFormAGoodOneShowsTheDashboardAndLogoutForgetsIt() {
    signIn("not-a-token");
    await().atMost(SHOWN).until(() -> String.valueOf(browser.text("#login-error")).contains("refused"));
    assertThat(browser.shown("#app-view")).isFalse();
    assertThat((String) browser.js("return sessionStorage.getItem('shepherd.token')")).isNull();

    signInAndAwaitTheDashboard(operator);
    assertThat(browser.shown("#login")).isFalse();
    assertThat(browser.text("#who-name")).isEqualTo("otto (operator)");
    assertThat(browser.text("#leader")).contains("(this server)");
    assertThat(browser.text("#breaker")).isEqualTo("✔ closed");
    await().atMost(SHOWN).until(() -> "● live".equals(browser.text("#stream-state")));
    assertThat(browser.driver().getCurrentUrl()).as("the token is never in a URL")
        .doesNotContain(operator);
    assertThat((String) browser.js("return sessionStorage.getItem('shepherd.token')"))
        .isEqualTo(operator);

    browser.driver().findElement(By.id("logout")).click();
    await().atMost(SHOWN).until(() -> browser.shown("#login"));
    assertThat(browser.shown("#app-view")).isFalse();
    assertThat(browser.shown("#who")).as("who is signed in, and the log-out button").isFalse();
    assertThat(browser.text("#leader")).isEqualTo("–");
    assertThat((String) browser.js("return sessionStorage.getItem('shepherd.token')")).isNull();
  }

  @Test
  void aSetCreatedOverRestAppearsWithItsCountsWithoutAReload() throws Exception {
    signInAndAwaitTheDashboard(operator);
    String row = "tr[data-set='appears']";
    assertThat(browser.shown(row)).isFalse();

    runAndAwait("appears", 2, "4101");

    await().atMost(SHOWN).until(() -> "2".equals(cell(row, "c-live")) && "2".equals(cell(row, "c-ready")));
    assertThat(cell(row, "c-desired")).isEqualTo("2");
    assertThat(cell(row, "c-pending")).isEqualTo("0");
    assertThat(cell(row, "c-state")).isEqualTo("✔ ready");
    await().atMost(SHOWN).until(() -> browser.text("#events-list").contains("appears"));
    assertThat(browser.text("#nodes-body")).contains("node-a");
    assertNotReloaded();
    deleteAndAwaitGone("appears", "4101");
    await().atMost(SHOWN).until(() -> !browser.shown(row));
    assertNotReloaded();
  }

  @Test
  void aCopyKilledFromTheShellShowsItsRestartWithoutAReload() throws Exception {
    Instance victim = runAndAwait("victim", 2, "4102").get(0);
    signInAndAwaitTheDashboard(operator);
    open("victim");
    String row = "tr[data-copy='" + victim.id() + "']";
    await().atMost(SHOWN).until(() -> String.valueOf(victim.pid()).equals(cell(row, "c-pid")));
    assertThat(cell(row, "c-restarts")).isEqualTo("0");
    assertThat(cell(row, "c-ready")).isEqualTo("✔ ready");
    assertThat(cell(row, "c-node")).isEqualTo("node-a");
    assertThat(cell(row, "c-exit")).isEqualTo("—");

    Processes.sigkill(victim.pid());

    await().atMost(SHOWN).until(() -> "1".equals(cell(row, "c-restarts")));
    assertThat(cell(row, "c-pid")).isNotEqualTo(String.valueOf(victim.pid()));
    assertThat(cell(row, "c-exit")).startsWith("signal 9");
    Instance back = api.instances("victim").stream().filter(i -> i.id().equals(victim.id())).findFirst()
        .orElseThrow();
    await().atMost(SHOWN).until(() -> String.valueOf(back.pid()).equals(cell(row, "c-pid")));
    await().atMost(SHOWN).until(() -> browser.text("#events-list").contains("INSTANCE_RESTARTED"));
    assertNotReloaded();
    deleteAndAwaitGone("victim", "4102");
  }

  @Test
  void scalingFromThePageChangesTheTargetAndThePageFollows() throws Exception {
    runAndAwait("scaled", 1, "4103");
    signInAndAwaitTheDashboard(operator);
    open("scaled");
    WebElement replicas = browser.driver().findElement(By.id("scale-input"));
    replicas.clear();
    replicas.sendKeys("3", Keys.ENTER);

    await().atMost(SHOWN).until(() -> String.valueOf(browser.text("#notice")).contains("scaled scaled to 3"));
    await().atMost(SHOWN).until(() -> api.get("scaled").orElseThrow().desired() == 3);
    await().atMost(SHOWN).until(() -> "3".equals(cell("tr[data-set='scaled']", "c-live"))
        && browser.driver().findElements(By.cssSelector("#copies-body tr[data-copy]")).size() == 3);
    assertThat(cell("tr[data-set='scaled']", "c-desired")).isEqualTo("3");
    assertThat(Processes.countDescendantsWith("4103")).isEqualTo(3);
    assertNotReloaded();
    deleteAndAwaitGone("scaled", "4103");
  }

  @Test
  void aTemplateChangedOverRestShowsItsRolloutAndRevisionWhileTheSetIsOpen() throws Exception {
    runAndAwait("rolled", 2, "4111");
    signInAndAwaitTheDashboard(operator);
    open("rolled");
    await().atMost(SHOWN).until(() -> browser.driver()
        .findElements(By.cssSelector("#revisions-list li")).size() == 1);

    api.apply("rolled", ReplicaSetSpec.of(2, List.of("sleep", "4112")).withStopGraceMs(1_000));

    await().atMost(SHOWN).until(() -> Processes.countDescendantsWith("4112") == 2
        && Processes.countDescendantsWith("4111") == 0);
    await().atMost(SHOWN).until(() -> String.valueOf(browser.text("#rollout-state")).contains("complete")
        && String.valueOf(browser.text("#rollout-state")).contains("revision 1 → 2"));
    List<WebElement> revisions = browser.driver().findElements(By.cssSelector("#revisions-list li"));
    assertThat(revisions).hasSize(2);
    assertThat(browser.text("#revisions-list")).contains("revision 2").contains("sleep 4112");
    browser.screenshotOfThePage("dashboard"); // docs/img/dashboard.png, in the README
    assertNotReloaded();
    deleteAndAwaitGone("rolled", "4112");
  }

  @Test
  void theKeyboardAloneFindsASetOpensItAndScalesIt() throws Exception {
    runAndAwait("keys", 1, "4107");
    signInAndAwaitTheDashboard(operator);
    WebElement filter = browser.driver().findElement(By.id("filter"));
    filter.sendKeys("keys");
    await().atMost(SHOWN).until(() -> "(1 of 1)".equals(browser.text("#sets-count"))
        || "(1)".equals(browser.text("#sets-count")));
    filter.sendKeys(Keys.TAB);
    assertThat(focused()).as("Tab from the filter reaches the set").isEqualTo("button:keys");
    browser.driver().switchTo().activeElement().sendKeys(Keys.ENTER);
    await().atMost(SHOWN).until(() -> "h2:detail-heading".equals(focused()));
    browser.driver().switchTo().activeElement().sendKeys(Keys.TAB);
    assertThat(focused()).isEqualTo("button:detail-close");
    browser.driver().switchTo().activeElement().sendKeys(Keys.TAB);
    assertThat(focused()).isEqualTo("input:scale-input");
    WebElement replicas = browser.driver().switchTo().activeElement();
    replicas.sendKeys(Keys.chord(Keys.CONTROL, "a"), "2", Keys.ENTER);

    await().atMost(SHOWN).until(() -> api.get("keys").orElseThrow().desired() == 2);
    await().atMost(SHOWN).until(() -> "2".equals(cell("tr[data-set='keys']", "c-live")));
    browser.driver().findElement(By.id("detail-close")).sendKeys(Keys.ENTER);
    await().atMost(SHOWN).until(() -> "button:keys".equals(focused()));
    assertNotReloaded();
    deleteAndAwaitGone("keys", "4107");
  }

  /** The focused element as "tag:id", or "button:NAME" for a set's button. */
  private String focused() {
    return browser.js("const e = document.activeElement; return e.tagName.toLowerCase() + ':'"
        + " + (e.dataset.name || e.id)");
  }

  @Test
  void aViewerSeesNoWriteActionsWhereAnOperatorDoes() throws Exception {
    runAndAwait("watched", 1, "4104");
    signInAndAwaitTheDashboard(operator);
    open("watched");
    await().atMost(SHOWN).until(() -> browser.shown("#copies-body button[data-action=restart]"));
    assertThat(browser.shown("#scale-form")).as("an operator may scale").isTrue();
    assertThat(browser.shown("#copies-body button[data-action=kill]")).isTrue();
    assertThat(browser.shown("#copies-body button[data-action=log]")).isTrue();
    browser.driver().findElement(By.id("logout")).click();

    signInAndAwaitTheDashboard(viewer);
    assertThat(browser.text("#who-name")).isEqualTo("vera (viewer)");
    open("watched");
    await().atMost(SHOWN).until(() -> browser.shown("#copies-body tr[data-copy]"));
    assertThat(browser.shown("#scale-form")).as("a viewer may not scale").isFalse();
    assertThat(browser.driver().findElements(By.cssSelector("#copies-body button"))).as("copy actions").isEmpty();
    assertThat(browser.shown("#rollout-actions")).isFalse();
    assertThat(browser.shown("#breaker-reset")).isFalse();
    assertNotReloaded();
    deleteAndAwaitGone("watched", "4104");
  }

  @Test
  void thePagesEventStreamParserReadsTheSameFramesHoweverTheStreamIsCut() {
    String stream = ": shepherd events, from now on\n\nid: 41\n\n"
        + "id: 42\nevent: INSTANCE_UP\ndata: {\"id\":42}\n\n"
        + "event: gap\r\ndata: {\"after\":1,\"upTo\":40}\r\n\r\n"
        + ": keep-alive\n\n"
        + "id: 43\revent: SCALED\rdata: one: 1\rdata:two\r\r";
    // Every way of cutting the stream in two, and one character at a time: each must give the same frames.
    List<String> distinct = browser.driver().executeAsyncScript(
        "const done = arguments[arguments.length - 1]; const text = arguments[0];"
            + " import('/ui/events.js').then(m => {"
            + "   const parse = chunks => { const frames = []; const push = m.sseParser(f => frames.push(f));"
            + "     chunks.forEach(push); return frames.map(f => [f.id ?? '-', f.event, f.data].join(' | '))"
            + "       .join('\\n'); };"
            + "   const runs = [parse([...text])];"
            + "   for (let i = 0; i <= text.length; i++) runs.push(parse([text.slice(0, i), text.slice(i)]));"
            + "   done([...new Set(runs)]);"
            + " }).catch(e => done(['failed: ' + e]));", stream) instanceof List<?> l
        ? l.stream().map(String::valueOf).toList() : List.of();
    assertThat(distinct).containsExactly(String.join("\n",
        "41 | message | ",
        "42 | INSTANCE_UP | {\"id\":42}",
        "- | gap | {\"after\":1,\"upTo\":40}",
        "43 | SCALED | one: 1\ntwo"));
  }

  @Test
  void aCopysLogIsFollowedAsItIsWritten() throws Exception {
    api.apply("talker", ReplicaSetSpec.of(1, List.of("sh", "-c", "echo first line 4106; exec sleep 4106"))
        .withStopGraceMs(1_000));
    await().atMost(SHOWN).until(() -> api.instances("talker").size() == 1);
    signInAndAwaitTheDashboard(operator);
    open("talker");
    await().atMost(SHOWN).until(() -> browser.shown("#copies-body button[data-action=log]"));
    browser.driver().findElement(By.cssSelector("#copies-body button[data-action=log]")).sendKeys(" ");
    await().atMost(SHOWN).until(() -> String.valueOf(browser.text("#log-text")).contains("first line 4106"));
    assertThat(browser.text("#log-heading")).contains("following");
    browser.driver().findElement(By.id("log-stop")).click();
    await().atMost(SHOWN).until(() -> browser.text("#log-heading").contains("stopped"));
    assertNotReloaded();
    deleteAndAwaitGone("talker", "4106");
  }
}
