package io.shepherd.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Benchmark 6: the dashboard in headless Chromium with {@code sets} replica sets of {@code copies} copies.
 *
 * <p>Shepherd runs as the README's default ({@code server conf/shepherd.yml}) with its local agent REGISTER_ONLY (the
 * copies register without processes: the page reads the same state either way). Chromium and chromedriver are
 * Debian's ({@code /usr/bin/chromium}, {@code /usr/bin/chromedriver}; {@code -Dchromium.binary=},
 * {@code -Dchromium.driver=}), 1400x1000, headless. Measured inside the page, with {@code performance.now()}:
 *
 * <ul>
 *   <li>a full load, {@code loads} times: the page navigated to with a token in its session storage, until the list
 *       of sets is rendered and painted (one animation frame after); of which the REST reads (every set, the nodes,
 *       the leader, the breaker: fetched and parsed) and the list's render;
 *   <li>opening one set (its status with {@code copies} copies and its rollout, and its revisions): click to
 *       rendered;
 *   <li>scrolling the list: the scroll position set, until the second animation frame after (the rows in view
 *       re-rendered and painted), at {@code scrolls} positions;
 *   <li>a change made elsewhere shown: the page itself sends {@code PUT /replicas} for the first set, and a
 *       MutationObserver sees its desired count change in the list (the write, the event stream, the set read again,
 *       its row re-rendered), {@code changes} times;
 *   <li>a copy SIGKILLed shown restarted: {@code kill -KILL} of the process of the one copy of the set
 *       {@code killed}, which runs {@code sleep} for real on a second agent (node {@code real}, its worker jar, the
 *       only node with the label its node selector asks for) and is restarted in place by it; from just before the
 *       signal until a MutationObserver sees the copy's row show a new pid (the agent's restart, the instance
 *       written, the event over the event stream, the set read again and the row re-rendered), {@code kills}
 *       times, each copy up for 1.5 s first (so no kill counts as a crash). The two clocks are the same host's wall
 *       clock, read by the JVM ({@code Instant.now()}) and by the page ({@code performance.timeOrigin +
 *       performance.now()});
 *   <li>the number of elements in the DOM (the lists are virtualised) and the JavaScript heap after the loads.
 * </ul>
 *
 * <p>With {@code big} &gt; 0, one more set of {@code big} copies is opened ({@code loads} times) and its list of
 * copies scrolled ({@code scrolls} times).
 *
 * <p>The page signs in with the run's admin token (the one the server wrote at its first start, {@link Bench#token}),
 * put into its session storage as the login form would.
 *
 * <p>System properties: {@code sets} (1000), {@code copies} (10), {@code big} (2000), {@code loads} (10),
 * {@code scrolls} (20), {@code changes} (20), {@code kills} (20; 0 skips it), {@code bench.dir}.
 */
public final class DashboardBench {
  /** The id and pid of the first instance in a list of instances. */
  private static final Pattern INSTANCE = Pattern.compile("\"id\":\"([^\"]+)\".*?\"pid\":(\\d+)");

  private DashboardBench() {}

  public static void main(String[] args) throws Exception {
    int sets = Bench.intArg("sets", 1000);
    int copies = Bench.intArg("copies", 10);
    int loads = Bench.intArg("loads", 10);
    int scrolls = Bench.intArg("scrolls", 20);
    int changes = Bench.intArg("changes", 20);
    int big = Bench.intArg("big", 2000);
    int kills = Bench.intArg("kills", 20);
    Path dir = Bench.workDir("dashboard");
    Bench.log("benchmark 6: the dashboard with %d sets x %d copies; load %s; dir %s", sets, copies,
        Bench.loadAverage(), dir);
    int zkPort = Bench.freePort();
    ServerProcess server = ServerProcess.embeddedDefault(dir, zkPort)
        .set("agent.dataDir", dir.resolve("agent"))
        .set("agent.logsPort", 0)
        .set("agent.launcher", "REGISTER_ONLY")
        .set("agent.capacity", sets * (copies + 1) + big) // room for the scale-ups below
        .build().start().awaitUp(Duration.ofSeconds(120));
    Table table = new Table(List.of("measure", "n", "min ms", "p50 ms", "max ms"));
    ChromeDriver driver = null;
    ChromeDriverService service = null;
    try {
      Bench.await("the server to lead", Duration.ofSeconds(60), 50, server::leads);
      long t = System.nanoTime();
      for (int i = 0; i < sets; i++) {
        var r = Bench.put(server.api() + "/replicasets/" + name(i),
            "{\"replicas\": " + copies + ", \"command\": [\"sleep\", \"100000\"]}");
        if (!Bench.ok(r)) {
          throw new IllegalStateException("cannot create " + name(i) + ": " + r.body());
        }
      }
      Bench.await(sets * copies + " copies registered", Duration.ofSeconds(600), 500, () -> {
        var r = Bench.get(server.api() + "/replicasets");
        return Bench.ok(r) && Bench.count(r.body(), "\"live\":" + copies + ",") == sets;
      });
      Bench.log("%d sets x %d copies registered after %.1f s", sets, copies, Bench.ms(System.nanoTime() - t) / 1000);
      if (big > 0) {
        if (!Bench.ok(Bench.put(server.api() + "/replicasets/big",
            "{\"replicas\": " + big + ", \"command\": [\"sleep\", \"100000\"]}"))) {
          throw new IllegalStateException("cannot create the set big");
        }
        Bench.await(big + " copies of big registered", Duration.ofSeconds(600), 500, () -> {
          var r = Bench.get(server.api() + "/replicasets");
          return Bench.ok(r) && r.body().contains("\"name\":\"big\",") && r.body().contains("\"live\":" + big + ",");
        });
      }

      service = new ChromeDriverService.Builder()
          .usingDriverExecutable(new File(System.getProperty("chromium.driver", "/usr/bin/chromedriver")))
          .usingAnyFreePort().build();
      ChromeOptions options = new ChromeOptions();
      options.setBinary(new File(System.getProperty("chromium.binary", "/usr/bin/chromium")));
      options.addArguments("--headless=new", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000",
          "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");
      if ("root".equals(System.getProperty("user.name"))) {
        options.addArguments("--no-sandbox");
      }
      ChromeDriver page = new ChromeDriver(service, options);
      driver = page;
      driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
      String base = "http://127.0.0.1:" + server.port + "/";
      driver.get(base);
      driver.executeScript("sessionStorage.setItem('shepherd.token', arguments[0])", Bench.token());

      List<Double> shown = new ArrayList<>();
      List<Double> read = new ArrayList<>();
      List<Double> render = new ArrayList<>();
      for (int i = 0; i < loads; i++) {
        driver.navigate().refresh();
        Map<?, ?> timings = awaitLoaded(driver);
        shown.add(number(timings.get("shownAt")));
        read.add(number(timings.get("readMs")));
        render.add(number(timings.get("renderMs")));
        Bench.log("load %d: shown %.0f ms after navigation (reads %.0f ms, render %.1f ms), %s sets", i + 1,
            shown.get(i), read.get(i), render.get(i), timings.get("sets"));
      }
      Object domSize = driver.executeScript("return document.getElementsByTagName('*').length");
      Object heap = driver.executeScript("return performance.memory ? performance.memory.usedJSHeapSize : null");

      List<Double> open = new ArrayList<>();
      for (int i = 0; i < loads; i++) {
        String set = name(i);
        driver.executeScript("document.getElementById('filter').value = arguments[0];"
            + " document.getElementById('filter').dispatchEvent(new Event('input'))", set);
        driver.findElement(By.cssSelector("button[data-action=open][data-name='" + set + "']")).click();
        Bench.await("set " + set + " opened", Duration.ofSeconds(30), 20, () -> Boolean.TRUE.equals(page.executeScript(
            "return document.querySelectorAll('#copies-body tr[data-copy]').length"
            + " === arguments[0] && document.getElementById('detail-name').textContent === arguments[1]",
            copies, set)));
        open.add(number(((Map<?, ?>) driver.executeScript("return window.shepherdTimings")).get("detailMs")));
      }
      List<Double> openBig = new ArrayList<>();
      List<Double> scrollBig = new ArrayList<>();
      Object bigDom = null;
      if (big > 0) {
        for (int i = 0; i < loads; i++) {
          driver.executeScript("document.getElementById('filter').value = 'big';"
              + " document.getElementById('filter').dispatchEvent(new Event('input'))");
          if (i > 0) {
            driver.findElement(By.id("detail-close")).click();
          }
          driver.findElement(By.cssSelector("button[data-action=open][data-name='big']")).click();
          Bench.await("set big opened", Duration.ofSeconds(60), 20, () -> Boolean.TRUE.equals(page.executeScript(
              "return document.getElementById('copies-count').textContent === '(' + arguments[0] + ')'"
                  + " && document.getElementById('detail-name').textContent === 'big'", big)));
          openBig.add(number(((Map<?, ?>) driver.executeScript("return window.shepherdTimings")).get("detailMs")));
        }
        for (int i = 0; i < scrolls; i++) {
          double fraction = (i % 2 == 0) ? (double) (i + 1) / scrolls : 1.0 - (double) i / scrolls;
          scrollBig.add(number(driver.executeAsyncScript(
              "const done = arguments[arguments.length - 1]; const s = document.getElementById('copies-scroller');"
                  + " const t0 = performance.now(); s.scrollTop = arguments[0] * (s.scrollHeight - s.clientHeight);"
                  + " requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t0)));",
              fraction)));
        }
        bigDom = driver.executeScript("return document.getElementById('copies-body').children.length");
      }
      driver.executeScript("document.getElementById('filter').value = '';"
          + " document.getElementById('filter').dispatchEvent(new Event('input'))");

      List<Double> scroll = new ArrayList<>();
      for (int i = 0; i < scrolls; i++) {
        double fraction = (i % 2 == 0) ? (double) (i + 1) / scrolls : 1.0 - (double) i / scrolls;
        scroll.add(number(driver.executeAsyncScript(
            "const done = arguments[arguments.length - 1]; const s = document.getElementById('sets-scroller');"
                + " const t0 = performance.now(); s.scrollTop = arguments[0] * (s.scrollHeight - s.clientHeight);"
                + " requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t0)));",
            fraction)));
      }
      driver.executeScript("document.getElementById('sets-scroller').scrollTop = 0");

      List<Double> change = new ArrayList<>();
      for (int i = 0; i < changes; i++) {
        int replicas = copies + (i % 2 == 0 ? 1 : 0);
        change.add(number(driver.executeAsyncScript(
            "const done = arguments[arguments.length - 1]; const name = arguments[0]; const n = String(arguments[1]);"
                + " const cell = () => document.querySelector(`tr[data-set='${name}'] td.c-desired`);"
                + " const t0 = performance.now();"
                + " const seen = new MutationObserver(() => { const c = cell();"
                + "   if (c && c.textContent === n) { seen.disconnect(); done(performance.now() - t0); } });"
                + " seen.observe(document.getElementById('sets-body'), {subtree: true, childList: true,"
                + "   characterData: true});"
                + " fetch('/api/v1/replicasets/' + name + '/replicas', {method: 'PUT', headers: {"
                + "   'Content-Type': 'application/json',"
                + "   Authorization: 'Bearer ' + sessionStorage.getItem('shepherd.token')},"
                + "   body: JSON.stringify({replicas: Number(n)})});",
            name(0), replicas)));
      }
      List<Double> killShown = kills > 0 ? killsShown(driver, server, dir, zkPort, kills) : List.of();
      Files.write(dir.resolve("dashboard.png"), driver.getScreenshotAs(OutputType.BYTES));

      table.row(row("page load: navigation -> " + sets + " sets shown and painted", shown));
      table.row(row("  of which REST reads (sets, nodes, leader, breaker)", read));
      table.row(row("  of which rendering the list", render));
      table.row(row("open a set of " + copies + " copies: click -> rendered", open));
      table.row(row("scroll the list: -> rows re-rendered and painted", scroll));
      table.row(row("scale elsewhere (PUT) -> the list shows it", change));
      if (big > 0) {
        table.row(row("open a set of " + big + " copies: click -> rendered", openBig));
        table.row(row("scroll its copies: -> rows re-rendered and painted", scrollBig));
      }
      if (kills > 0) {
        table.row(row("copy SIGKILLed -> the page shows its new pid", killShown));
      }
      System.out.println();
      System.out.print(table.render());
      System.out.printf(Locale.ROOT, "DOM elements with %d sets listed: %s; JavaScript heap used: %s%n", sets, domSize,
          heap == null ? "-" : String.format(Locale.ROOT, "%.1f MiB", number(heap) / 1048576));
      if (big > 0) {
        System.out.printf(Locale.ROOT, "rows in the DOM of the list of %d copies: %s%n", big, bigDom);
      }
      System.out.println("screenshot: " + dir.resolve("dashboard.png"));
      System.out.println("load average (1/5/15 min) at the end: " + Bench.loadAverage());
    } finally {
      if (driver != null) {
        driver.quit();
      }
      if (service != null) {
        service.stop();
      }
      server.stop();
      Children.stopAll();
    }
  }

  /**
   * Starts a second agent whose copies are real processes (node {@code real}), runs the set {@code killed} on it,
   * opens it in the page and SIGKILLs its copy {@code kills} times: each time, from just before the signal until the
   * page shows the copy's new pid. Deletes the set and stops the agent before it returns.
   */
  private static List<Double> killsShown(ChromeDriver driver, ServerProcess server, Path dir, int zkPort, int kills)
      throws Exception {
    Path yml = dir.resolve("agent-real.yml");
    Files.writeString(yml, String.join("\n",
        "zookeeper:", "  connect: 127.0.0.1:" + zkPort,
        "  " + BenchZkAuth.agentYaml(dir).replace("}, acl: ", "}\n  acl: "),
        "agent:", "  nodeId: real", "  host: 127.0.0.1", "  capacity: 1", "  labels: {bench: real}",
        "  dataDir: " + dir.resolve("agent-real"), "  logs:", "    enabled: false", "  gateway:", "    enabled: false",
        ""));
    Process agent = Children.start(List.of(Children.javaBin(), "-jar", Bench.workerJar().toString(), "agent",
        yml.toString()), dir.resolve("agent-real.log"));
    String set = server.api() + "/replicasets/killed";
    try {
      Bench.await("the agent real to register", Duration.ofSeconds(60), 50, () -> {
        if (!agent.isAlive()) {
          throw new IllegalStateException("the agent exited; see " + dir.resolve("agent-real.log"));
        }
        var r = Bench.get(server.api() + "/nodes");
        return Bench.ok(r) && r.body().contains("\"id\":\"real\"");
      });
      if (!Bench.ok(Bench.put(set, "{\"replicas\": 1, \"command\": [\"sleep\", \"100001\"],"
          + " \"nodeSelector\": {\"bench\": \"real\"}, \"restart\": {\"localAttempts\": 1000},"
          + " \"stopGraceMs\": 1000}"))) {
        throw new IllegalStateException("cannot create the set killed");
      }
      driver.executeScript("document.getElementById('filter').value = 'killed';"
          + " document.getElementById('filter').dispatchEvent(new Event('input'))");
      Bench.await("the set killed listed", Duration.ofSeconds(60), 20, () -> Boolean.TRUE.equals(driver.executeScript(
          "return !!document.querySelector(\"button[data-action=open][data-name='killed']\")")));
      driver.findElement(By.cssSelector("button[data-action=open][data-name='killed']")).click();
      List<Double> shown = new ArrayList<>();
      for (int i = 0; i < kills; i++) {
        long[] copy = new long[1];
        String[] id = new String[1];
        Bench.await("the copy of killed running and shown", Duration.ofSeconds(60), 50, () -> {
          var r = Bench.get(set + "/instances");
          Matcher m = r == null ? null : INSTANCE.matcher(r.body());
          if (m == null || !Bench.ok(r) || !m.find()) {
            return false;
          }
          id[0] = m.group(1);
          copy[0] = Long.parseLong(m.group(2));
          return ProcessHandle.of(copy[0]).map(ProcessHandle::isAlive).orElse(false)
              && Boolean.TRUE.equals(driver.executeScript("const c = document.querySelector("
                  + "`tr[data-copy='${arguments[0]}'] td.c-pid`); return !!c && c.textContent === arguments[1]",
                  id[0], Long.toString(copy[0])));
        });
        Thread.sleep(1_500); // up longer than the crash-loop policy's minUptime (1 s): the kill is not a crash
        driver.executeScript("const id = arguments[0]; const old = arguments[1]; window.benchShownAt = null;"
            + " const cell = () => document.querySelector(`tr[data-copy='${id}'] td.c-pid`);"
            + " const seen = new MutationObserver(() => { const c = cell();"
            + "   if (c && c.textContent !== old && c.textContent !== '') { seen.disconnect();"
            + "     window.benchShownAt = performance.timeOrigin + performance.now(); } });"
            + " seen.observe(document.getElementById('copies-body'), {subtree: true, childList: true,"
            + "   characterData: true});", id[0], Long.toString(copy[0]));
        Instant t0 = Instant.now();
        new ProcessBuilder("kill", "-KILL", Long.toString(copy[0])).start().waitFor();
        Bench.await("the restart of " + id[0] + " shown", Duration.ofSeconds(60), 10,
            () -> driver.executeScript("return window.benchShownAt") != null);
        double ms = number(driver.executeScript("return window.benchShownAt"))
            - (t0.getEpochSecond() * 1000.0 + t0.getNano() / 1e6);
        shown.add(ms);
        Bench.log("kill %d: pid %d SIGKILLed, its restart shown %.1f ms later", i + 1, copy[0], ms);
      }
      return shown;
    } finally {
      Bench.delete(set);
      Bench.await("the set killed deleted", Duration.ofSeconds(60), 100, () -> {
        var r = Bench.get(set);
        return r != null && r.statusCode() == 404;
      });
      Children.stop(agent, 10_000);
    }
  }

  private static Map<?, ?> awaitLoaded(ChromeDriver driver) throws InterruptedException {
    Bench.await("the page to show its sets", Duration.ofSeconds(120), 20,
        () -> "true".equals(driver.executeScript("return document.body.dataset.loaded || null")));
    return (Map<?, ?>) driver.executeScript("return window.shepherdTimings");
  }

  private static String name(int i) {
    return String.format(Locale.ROOT, "set-%04d", i);
  }

  private static double number(Object o) {
    return o == null ? Double.NaN : ((Number) o).doubleValue();
  }

  private static List<String> row(String what, List<Double> values) {
    Stats s = Stats.of(values);
    return List.of(what, Integer.toString(s.n()), Stats.ms(s.min()), Stats.ms(s.p50()), Stats.ms(s.max()));
  }
}
