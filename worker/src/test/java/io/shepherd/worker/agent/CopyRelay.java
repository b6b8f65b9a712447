package io.shepherd.worker.agent;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

/**
 * A copy for tests that speak to the local API as a copy: a python3 program that serves on its port {@code PORT} as a
 * relay to its agent. {@code GET /?path=P&token=T} asks {@code $SHEPHERD_AGENT_URL} + P with T (no token without),
 * from the copy's own process, and answers with the agent's status, {@code X-Shepherd-Index} and body (599 when the
 * agent cannot be reached). Once listening, it writes its environment to argv[1] as JSON (atomically). The agent
 * serves a token only on connections from its own copy's processes ({@link CopyPeers}), so a test speaks as a copy
 * through the copy itself; the relay adds one loopback hop.
 */
final class CopyRelay {
  /** The copy's program: {@code python3 -c SCRIPT <env file>}. */
  static final String SCRIPT = String.join("\n",
      "import json, os, sys, urllib.error, urllib.parse, urllib.request",
      "from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer",
      "class Relay(BaseHTTPRequestHandler):",
      "    def do_GET(self):",
      "        q = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)",
      "        req = urllib.request.Request(os.environ['SHEPHERD_AGENT_URL'] + q['path'][0])",
      "        if 'token' in q: req.add_header('Authorization', 'Bearer ' + q['token'][0])",
      "        index = None",
      "        try:",
      "            with urllib.request.urlopen(req, timeout=600) as r:",
      "                status, index, body = r.status, r.headers.get('X-Shepherd-Index'), r.read()",
      "        except urllib.error.HTTPError as e:",
      "            status, index, body = e.code, e.headers.get('X-Shepherd-Index'), e.read()",
      "        except OSError as e:",
      "            status, body = 599, str(e).encode()",
      "        self.send_response(status)",
      "        if index: self.send_header('X-Shepherd-Index', index)",
      "        self.send_header('Content-Length', str(len(body)))",
      "        self.end_headers()",
      "        self.wfile.write(body)",
      "    def log_message(self, *args): pass",
      "server = ThreadingHTTPServer(('127.0.0.1', int(os.environ['PORT'])), Relay)",
      "p = sys.argv[1]",
      "with open(p + '.tmp', 'w') as f: json.dump(dict(os.environ), f)",
      "os.rename(p + '.tmp', p)",
      "server.serve_forever()",
      "");

  private CopyRelay() {}

  /** A request to the relay listening on {@code port}: ask its agent for {@code path} with {@code token}. */
  static HttpRequest request(int port, String token, String path) {
    String query = "path=" + URLEncoder.encode(path, StandardCharsets.UTF_8)
        + (token == null ? "" : "&token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/?" + query)).build();
  }
}
