"""Prints the pid of the copy that leads: reads the copies from `shepherd instances leader -o json` on stdin and asks
each one's page (its own port, not the gateway) whether it leads. Exits 1 if none says so. Needs nothing but python3.
"""
import json
import sys
import urllib.request

for copy in json.load(sys.stdin):
    url = "http://%s:%d/status" % (copy["host"], copy["ports"]["http"])
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            status = json.load(response)
    except OSError:
        continue
    if status.get("known") and status.get("isLeader"):
        print(copy["pid"])
        sys.exit(0)
sys.exit("no copy says it leads")
