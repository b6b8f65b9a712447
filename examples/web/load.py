#!/usr/bin/env python3
"""A load generator for the rollout demo: GET http://127.0.0.1:PORT/ok in a loop on a few threads, printing each
second how many requests succeeded and failed and which versions answered /. Stop it with Ctrl-C.

Usage: python3 load.py [PORT]   (default 9003, the demo's gateway port)
"""
import sys
import threading
import time
import urllib.request

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 9003
BASE = f"http://127.0.0.1:{PORT}"
counts = {"ok": 0, "failed": 0}
versions = {}
lock = threading.Lock()


def worker():
    while True:
        try:
            with urllib.request.urlopen(BASE + "/ok", timeout=5) as r:
                good = r.status == 200 and r.read() == b"ok\n"
            with urllib.request.urlopen(BASE + "/", timeout=5) as r:
                version = r.read().decode().split(",")[0]
        except Exception:  # a refused or reset connection, a timeout: a failed request
            good, version = False, None
        with lock:
            counts["ok" if good else "failed"] += 1
            if version:
                versions[version] = versions.get(version, 0) + 1


for _ in range(4):
    threading.Thread(target=worker, daemon=True).start()
try:
    while True:
        time.sleep(1)
        with lock:
            seen = ", ".join(f"{v}: {n}" for v, n in sorted(versions.items()))
            print(f"ok {counts['ok']}  failed {counts['failed']}  ({seen})", flush=True)
            versions.clear()
except KeyboardInterrupt:
    print(f"\ntotal: ok {counts['ok']}, failed {counts['failed']}")
