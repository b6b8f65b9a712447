package io.shepherd.server.testing;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Chromium driven through its chromedriver, both Debian's ({@code chromium}, {@code chromium-driver}),
 * found at fixed paths (override with {@code -Dchromium.binary=} and {@code -Dchromium.driver=}). Selenium is
 * given both, so it never looks for a browser or a driver itself (Selenium Manager would try the internet).
 * Missing either is a test failure that says what to install, never a skip.
 */
public final class Browser implements AutoCloseable {
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private final ChromeDriverService service;
  private final ChromeDriver driver;

  private Browser(ChromeDriverService service, ChromeDriver driver) {
    this.service = service;
    this.driver = driver;
  }

  public static Browser start() {
    Path binary = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
    Path chromedriver = Path.of(System.getProperty("chromium.driver", "/usr/bin/chromedriver"));
    if (!Files.isExecutable(binary) || !Files.isExecutable(chromedriver)) {
      throw new AssertionError("the dashboard's browser tests need Chromium and its driver: " + binary + " and "
          + chromedriver + " (on Debian: apt-get install chromium chromium-driver; elsewhere set "
          + "-Dchromium.binary= and -Dchromium.driver=)");
    }
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(chromedriver.toFile())
        .usingAnyFreePort()
        .withLogFile(new File("target/chromedriver.log"))
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(binary.toFile());
    options.addArguments("--headless=new", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000",
        "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-extensions");
    if ("root".equals(System.getProperty("user.name"))) {
      options.addArguments("--no-sandbox"); // Chromium refuses to run as root inside its sandbox
    }
    try {
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
      return new Browser(service, driver);
    } catch (RuntimeException e) {
      service.stop();
      throw e;
    }
  }

  public ChromeDriver driver() {
    return driver;
  }

  /** Runs a script in the page and returns what it returns. */
  @SuppressWarnings("unchecked")
  public <T> T js(String script, Object... args) {
    return (T) ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** The text of the first element matching a CSS selector, or null: read in one go, so never stale. */
  public String text(String css) {
    return js("const e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : null;", css);
  }

  /** Whether the first element matching a selector is there and laid out visibly (not display: none, anywhere up). */
  public boolean shown(String css) {
    Boolean shown = js("const e = document.querySelector(arguments[0]);"
        + " return !!e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';", css);
    return Boolean.TRUE.equals(shown);
  }

  /** Opens the dashboard at {@code baseUrl} signed out (session storage and timings cleared), at its login form. */
  public void openSignedOut(String baseUrl, Duration within) {
    driver.get(baseUrl + "/");
    js("sessionStorage.clear(); performance.clearResourceTimings()");
    driver.navigate().refresh();
    await().atMost(within).until(() -> shown("#login"));
  }

  /** Types a token into the login form and submits it with Enter. */
  public void typeToken(String token) {
    WebElement field = driver.findElement(By.id("token"));
    field.clear();
    field.sendKeys(token, Keys.ENTER);
  }

  /** Waits until the dashboard has read the state after signing in. */
  public void awaitLoaded(Duration within) {
    await().atMost(within).until(() -> "true".equals(js("return document.body.dataset.loaded || null")));
  }

  /** Saves a screenshot as target/screenshots/NAME.png; returns its path. */
  public Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Saves a screenshot of the whole page, not only what the window shows (Chromium's {@code Page.captureScreenshot}
   * beyond the viewport, over the DevTools protocol). Returns its path (target/screenshots/NAME.png).
   */
  public Path screenshotOfThePage(String name) {
    Number width = js("return Math.max(document.documentElement.scrollWidth, window.innerWidth)");
    Number height = js("return document.documentElement.scrollHeight");
    Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
        "captureBeyondViewport", true,
        "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
      return file;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
    }
  }
}
