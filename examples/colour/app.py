"""A page whose background colour is the replica set's configuration value `background-color`.

Started by Shepherd: it listens on $PORT, and long-polls its agent's local API ($SHEPHERD_AGENT_URL, with
$SHEPHERD_TOKEN) for the value, so a `shepherd config set colour background-color '#ccc'` shows within a second,
without a restart. The page itself long-polls this app's /colour for the same reason. Needs nothing but python3.
"""
import json
import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KEY = "background-color"
DEFAULT = "white"
AGENT = os.environ["SHEPHERD_AGENT_URL"]
TOKEN = os.environ["SHEPHERD_TOKEN"]
INSTANCE = os.environ.get("SHEPHERD_INSTANCE_ID", "?")

state = {"colour": DEFAULT}
changed = threading.Condition()


def agent_get(path):
    """GET on the local API: (status, index, body as JSON or None)."""
    request = urllib.request.Request(AGENT + path, headers={"Authorization": "Bearer " + TOKEN})
    try:
        with urllib.request.urlopen(request, timeout=70) as response:
            return response.status, response.headers.get("X-Shepherd-Index"), json.load(response)
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("X-Shepherd-Index"), None


def watch_colour():
    index = None
    while True:
        try:
            query = "?wait=60s" + ("&index=" + index if index else "")
            status, new_index, body = agent_get("/v1/config/" + KEY + query)
        except OSError:
            status, new_index, body = 0, None, None
        if status not in (200, 404):
            time.sleep(1)  # the agent is not connected (503) or not reachable: ask again soon
            continue
        index = new_index
        colour = body["value"] if status == 200 else DEFAULT
        with changed:
            if colour != state["colour"]:
                state["colour"] = colour
                changed.notify_all()


PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>colour</title></head>
<body style="background: {colour}; font: 2em sans-serif">
<p>Served by <b>{instance}</b>. Background: <code id="colour">{colour}</code></p>
<script>
let colour = document.getElementById('colour').textContent;
async function follow() {{
  for (;;) {{
    try {{
      // Answered once the colour is another: any copy can answer (behind the gateway, say).
      const r = await fetch('/colour?colour=' + encodeURIComponent(colour));
      const s = await r.json();
      colour = s.colour;
      document.body.style.background = s.colour;
      document.getElementById('colour').textContent = s.colour;
    }} catch (e) {{
      await new Promise(done => setTimeout(done, 1000));
    }}
  }}
}}
follow();
</script>
</body></html>
"""


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/":
            with changed:
                body = PAGE.format(colour=state["colour"], instance=INSTANCE)
            self.reply(200, "text/html; charset=utf-8", body)
        elif self.path.startswith("/colour"):
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
            seen = query.get("colour", [None])[0]
            with changed:
                if seen is not None:
                    changed.wait_for(lambda: state["colour"] != seen, timeout=30)
                body = json.dumps({"colour": state["colour"], "instance": INSTANCE})
            self.reply(200, "application/json", body)
        else:
            self.reply(404, "text/plain", "not found\n")

    def reply(self, code, content_type, body):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    threading.Thread(target=watch_colour, daemon=True).start()
    server = ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler)
    server.daemon_threads = True
    server.serve_forever()
