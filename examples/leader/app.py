"""A page that says whether the copy serving it leads its replica set, and which copy does.

Started by Shepherd: it listens on $PORT and long-polls its agent's local API ($SHEPHERD_AGENT_URL/v1/leader, with
$SHEPHERD_TOKEN), the way the `leader-elector` sidecar is asked "am I the leader?". The agent holds the election:
a ready copy takes part, the lowest ZooKeeper sequence number leads, and the term rises with every change of
leader. While the agent cannot vouch for the answer (its ZooKeeper session is not connected) the page says
"unknown", never a stale leader. Needs nothing but python3.
"""
import json
import os
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

AGENT = os.environ["SHEPHERD_AGENT_URL"]
TOKEN = os.environ["SHEPHERD_TOKEN"]
INSTANCE = os.environ.get("SHEPHERD_INSTANCE_ID", "?")

state = {"known": False, "isLeader": False, "leader": None, "term": 0}
lock = threading.Lock()


def agent_get(path):
    request = urllib.request.Request(AGENT + path, headers={"Authorization": "Bearer " + TOKEN})
    try:
        with urllib.request.urlopen(request, timeout=70) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as e:
        return e.code, None


def watch_leader():
    index = None
    while True:
        try:
            status, body = agent_get("/v1/leader?wait=60s" + ("&index=%d" % index if index else ""))
        except OSError:
            status, body = 0, None
        if status != 200:
            with lock:
                state.update(known=False, isLeader=False)
            index = None
            time.sleep(1)
            continue
        index = body["index"]
        with lock:
            state.update(known=True, isLeader=body["isLeader"], leader=body.get("leader"), term=body["term"])


PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><meta http-equiv="refresh" content="1"><title>leader</title></head>
<body style="font: 2em sans-serif"><p>{text}</p></body></html>
"""


def describe(s):
    if not s["known"]:
        return "Copy %s cannot tell who leads right now." % INSTANCE
    if s["isLeader"]:
        return "Copy %s is the leader (term %d)." % (INSTANCE, s["term"])
    if s["leader"]:
        return "Copy %s is a follower; %s leads (term %d)." % (INSTANCE, s["leader"], s["term"])
    return "Copy %s is a follower; no copy leads yet." % INSTANCE


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        with lock:
            s = dict(state)
        if self.path == "/":
            self.reply(200, "text/html; charset=utf-8", PAGE.format(text=describe(s)))
        elif self.path == "/status":
            s["instance"] = INSTANCE
            self.reply(200, "application/json", json.dumps(s))
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
    threading.Thread(target=watch_leader, daemon=True).start()
    server = ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler)
    server.daemon_threads = True
    server.serve_forever()
