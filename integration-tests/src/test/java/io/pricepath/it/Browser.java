package io.pricepath.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real headless Chromium (Debian's {@code chromium}), driven over the DevTools protocol with the
 * JDK's own HTTP and WebSocket clients: opens a page, collects every console error, uncaught
 * exception and failed load (a page meant to open offline must request nothing), and saves a
 * full-page screenshot.
 */
final class Browser implements AutoCloseable {
  static final String CHROMIUM = "/usr/bin/chromium";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private final ObjectMapper json = new ObjectMapper();
  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final List<String> errors = new ArrayList<>();

  /**
   * What a page showed: its errors, its screenshot, its drawn charts (inline SVG or images that
   * loaded, with a size) and its text.
   */
  record Visit(List<String> errors, Path screenshot, int charts, String text) {}

  Browser(Path profile) throws IOException, InterruptedException {
    this.profile = profile;
    Files.createDirectories(profile);
    // the flags a closed network needs: no background requests, no updates, no sync
    process = new ProcessBuilder(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--hide-scrollbars", "--user-data-dir=" + profile, "--remote-debugging-port=0", "--remote-allow-origins=*",
        "about:blank")
        .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
    Path portFile = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!Files.isRegularFile(portFile) || Files.readAllLines(portFile).size() < 2) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("Chromium did not start: " + Files.readString(profile.resolve("chromium.log")));
      }
      Thread.sleep(100);
    }
    int port = Integer.parseInt(Files.readAllLines(portFile).get(0).strip());
    HttpClient http = HttpClient.newHttpClient();
    JsonNode targets = json.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
        .build(), HttpResponse.BodyHandlers.ofString()).body());
    String page = null;
    for (JsonNode t : targets) {
      if ("page".equals(t.path("type").asText())) {
        page = t.path("webSocketDebuggerUrl").asText();
      }
    }
    if (page == null) {
      throw new IllegalStateException("Chromium opened no page: " + targets);
    }
    socket = http.newWebSocketBuilder().buildAsync(URI.create(page), new Listener()).join();
    call("Runtime.enable", json.createObjectNode());
    call("Log.enable", json.createObjectNode());
    call("Page.enable", json.createObjectNode());
  }

  /** Opens {@code file}, waits for it to load, saves a full-page PNG as {@code screenshot}. */
  Visit open(Path file, Path screenshot) throws IOException, InterruptedException {
    errors.clear();
    call("Page.navigate", json.createObjectNode().put("url", file.toUri().toString()));
    await("Page.loadEventFired");
    Thread.sleep(500);  // late errors: scripts that run after the load event
    drain();
    JsonNode size = call("Page.getLayoutMetrics", json.createObjectNode()).path("cssContentSize");
    int width = Math.max(800, Math.min(1600, size.path("width").asInt(1280)));
    int height = Math.max(600, Math.min(12000, size.path("height").asInt(1000)));
    call("Emulation.setDeviceMetricsOverride", json.createObjectNode().put("width", width).put("height", height)
        .put("deviceScaleFactor", 1).put("mobile", false));
    JsonNode shot = call("Page.captureScreenshot", json.createObjectNode().put("format", "png"));
    Files.createDirectories(screenshot.getParent());
    Files.write(screenshot, Base64.getDecoder().decode(shot.path("data").asText()));
    // an <svg> counts only with something drawn in it: a sanitizer may leave the element empty
    int charts = evaluate("[...document.querySelectorAll('svg')].filter(s => s.querySelector('path, line')).length"
        + " + [...document.images].filter(i => i.complete && i.naturalWidth > 100).length").asInt();
    String text = evaluate("document.body.innerText").asText();
    drain();
    return new Visit(List.copyOf(errors), screenshot, charts, text);
  }

  private JsonNode evaluate(String expression) throws InterruptedException {
    return call("Runtime.evaluate", json.createObjectNode().put("expression", expression).put("returnByValue", true))
        .path("result").path("value");
  }

  private JsonNode call(String method, ObjectNode params) throws InterruptedException {
    int id = ids.incrementAndGet();
    ObjectNode message = json.createObjectNode().put("id", id).put("method", method);
    message.set("params", params);
    socket.sendText(message.toString(), true).join();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      JsonNode m = next(deadline, method);
      if (m.path("id").asInt(-1) == id) {
        if (m.has("error")) {
          throw new IllegalStateException(method + ": " + m.path("error"));
        }
        return m.path("result");
      }
      note(m);
    }
  }

  private void await(String event) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      JsonNode m = next(deadline, event);
      note(m);
      if (event.equals(m.path("method").asText())) {
        return;
      }
    }
  }

  private JsonNode next(long deadline, String waitingFor) throws InterruptedException {
    JsonNode m = messages.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    if (m == null) {
      throw new IllegalStateException("Chromium did not answer " + waitingFor + " in " + WAIT.toSeconds() + " s");
    }
    return m;
  }

  private void drain() {
    for (JsonNode m; (m = messages.poll()) != null; ) {
      note(m);
    }
  }

  /** Keeps what the page reported as going wrong. */
  private void note(JsonNode m) {
    JsonNode p = m.path("params");
    switch (m.path("method").asText()) {
      case "Runtime.exceptionThrown" -> errors.add("uncaught: " + p.path("exceptionDetails").path("exception")
          .path("description").asText(p.path("exceptionDetails").path("text").asText()));
      case "Runtime.consoleAPICalled" -> {
        if (p.path("type").asText().equals("error") || p.path("type").asText().equals("assert")) {
          errors.add("console." + p.path("type").asText() + ": " + p.path("args"));
        }
      }
      case "Log.entryAdded" -> {
        if (p.path("entry").path("level").asText().equals("error")) {
          errors.add(p.path("entry").path("source").asText() + ": " + p.path("entry").path("text").asText() + " "
              + p.path("entry").path("url").asText());
        }
      }
      default -> { }
    }
  }

  @Override
  public void close() throws InterruptedException {
    socket.abort();
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          messages.add(json.readTree(partial.toString()));
        } catch (IOException e) {
          throw new IllegalStateException("Chromium sent what is not JSON: " + partial, e);
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }
  }
}
