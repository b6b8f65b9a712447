package io.shepherd.worker.agent;

import io.shepherd.worker.agent.ProbeTracker.Result;
import io.shepherd.worker.record.ProbeRecord;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one probe once and reports its {@link Result}, never blocking the caller and never holding a thread for the
 * run: http with the JDK's asynchronous {@link HttpClient} (a request timeout), tcp with an
 * {@link AsynchronousSocketChannel} closed on timeout, exec as a child process killed (with its descendants) on
 * timeout. Every run completes within its timeout, give or take the timer's delay.
 */
final class ProbeRunner {
  private static final int MAX_OUTPUT = 200;
  private final ScheduledExecutorService timer;
  /** Built on the first http probe: a client has a selector thread, which an agent without http probes never needs. */
  private HttpClient http;

  ProbeRunner(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  private synchronized HttpClient http() {
    if (http == null) {
      http = HttpClient.newBuilder()
          .executor(timer)
          .followRedirects(HttpClient.Redirect.NEVER)
          .version(HttpClient.Version.HTTP_1_1)
          .build();
    }
    return http;
  }

  /** Runs {@code probe} against a copy with {@code ports} (name to port), {@code env} and {@code workingDir}. */
  CompletableFuture<Result> run(ProbeRecord probe, Map<String, Integer> ports, Map<String, String> env,
      Path workingDir) {
    try {
      if (probe.exec() != null) {
        return exec(probe, ports, env, workingDir);
      }
      String portName = probe.http() != null ? probe.http().port() : probe.tcp() == null ? null : probe.tcp().port();
      Integer port = portName == null ? null : ports.get(portName);
      if (port == null) {
        return CompletableFuture.completedFuture(Result.fail("the copy has no port named " + portName));
      }
      return probe.http() != null ? http(port, probe.http().path(), probe.timeoutMs()) : tcp(port, probe.timeoutMs());
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(Result.fail(describe(e)));
    }
  }

  private CompletableFuture<Result> http(int port, String path, long timeoutMs) {
    URI uri = URI.create("http://127.0.0.1:" + port + path);
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(timeoutMs)).GET().build();
    return http().sendAsync(request, HttpResponse.BodyHandlers.discarding())
        // The request's own timeout covers connect and headers; this bounds the rest.
        .orTimeout(timeoutMs + 100, TimeUnit.MILLISECONDS)
        .handle((response, error) -> {
          if (error != null) {
            return Result.fail("GET " + uri + ": " + describe(error));
          }
          int status = response.statusCode();
          return status >= 200 && status < 400
              ? Result.pass("status " + status)
              : Result.fail("GET " + uri + ": status " + status);
        });
  }

  private CompletableFuture<Result> tcp(int port, long timeoutMs) {
    CompletableFuture<Result> done = new CompletableFuture<>();
    AsynchronousSocketChannel channel;
    try {
      channel = AsynchronousSocketChannel.open();
    } catch (IOException e) {
      return CompletableFuture.completedFuture(Result.fail("cannot open a socket: " + e.getMessage()));
    }
    String target = "127.0.0.1:" + port;
    var deadline = timer.schedule(() -> {
      if (done.complete(Result.fail("connect to " + target + " timed out after " + timeoutMs + " ms"))) {
        close(channel);
      }
    }, timeoutMs, TimeUnit.MILLISECONDS);
    channel.connect(new InetSocketAddress("127.0.0.1", port), null, new CompletionHandler<Void, Void>() {
      @Override
      public void completed(Void v, Void a) {
        done.complete(Result.pass("connected to " + target));
        deadline.cancel(false);
        close(channel);
      }

      @Override
      public void failed(Throwable e, Void a) {
        done.complete(Result.fail("connect to " + target + ": " + describe(e)));
        deadline.cancel(false);
        close(channel);
      }
    });
    return done;
  }

  private CompletableFuture<Result> exec(ProbeRecord probe, Map<String, Integer> ports, Map<String, String> env,
      Path workingDir) {
    Path output;
    Process process;
    try {
      output = Files.createTempFile("shepherd-probe-", ".out");
      ProcessBuilder builder = new ProcessBuilder(CopyPorts.argv(probe.exec().command(), ports))
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectErrorStream(true)
          .redirectOutput(output.toFile());
      if (Files.isDirectory(workingDir)) {
        builder.directory(workingDir.toFile());
      }
      builder.environment().putAll(env);
      builder.environment().putAll(CopyPorts.environment(ports));
      process = builder.start();
    } catch (IOException e) {
      return CompletableFuture.completedFuture(Result.fail("cannot run " + probe.exec().command() + ": "
          + e.getMessage()));
    }
    CompletableFuture<Result> done = new CompletableFuture<>();
    var deadline = timer.schedule(() -> {
      if (done.complete(Result.fail("timed out after " + probe.timeoutMs() + " ms"))) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.onExit().whenComplete((p, e) -> delete(output));
      }
    }, probe.timeoutMs(), TimeUnit.MILLISECONDS);
    process.onExit().whenComplete((p, e) -> {
      deadline.cancel(false);
      if (!done.isDone()) {
        String said = tail(output);
        int code = process.exitValue();
        done.complete(code == 0 ? Result.pass("exit code 0" + said) : Result.fail("exit code " + code + said));
      }
      delete(output);
    });
    return done;
  }

  private static String tail(Path output) {
    try (RandomAccessFile file = new RandomAccessFile(output.toFile(), "r")) {
      long length = file.length();
      int n = (int) Math.min(length, MAX_OUTPUT);
      byte[] bytes = new byte[n];
      file.seek(length - n);
      file.readFully(bytes);
      String text = new String(bytes, StandardCharsets.UTF_8).strip().replaceAll("[\\x00-\\x1f]+", " ");
      return text.isEmpty() ? "" : ": " + text;
    } catch (IOException e) {
      return "";
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A leftover temporary file is harmless.
    }
  }

  private static void close(AsynchronousSocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing to do.
    }
  }

  private static String describe(Throwable e) {
    Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (t instanceof HttpConnectTimeoutException) {
      return "connect timed out";
    }
    if (t instanceof HttpTimeoutException || t instanceof TimeoutException) {
      return "timed out";
    }
    if (t instanceof ConnectException) {
      return "connection refused";
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
