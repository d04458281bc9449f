#!/usr/bin/env python3
"""The dashboards and alert rules, proven against a real Prometheus.

  grafana/check-dashboards.py [--blockwatch PATH]

Starts `blockwatch demo --serve` (a censored network inside the process, measured, its metrics
served on loopback), a Prometheus (Debian's `prometheus`, from the PATH) scraping it every second
with the alert rules loaded, then:
  - checks each dashboard's structure: uid, schemaVersion, unique panel ids, gridPos, every panel
    and query on the ${datasource} variable, no ${DS_...} import placeholders;
  - evaluates every panel query of every dashboard, variables substituted (a query variable takes
    its first value, as Grafana does; an "All" variable takes its allValue), through Prometheus's
    HTTP API, and fails when one errors or returns nothing;
  - runs `promtool check rules`, `promtool test rules`, `promtool check config` on the sample
    configurations and `promtool check metrics` on the live /metrics, and checks that Prometheus
    loaded the rules without error.
Exit status 0 only when all of it passed. Everything listens on 127.0.0.1 only.
"""
import argparse
import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
failures = []


def fail(message):
    failures.append(message)
    print(f"FAIL  {message}")


def get(url, timeout=10):
    with OPENER.open(url, timeout=timeout) as r:
        return r.read().decode()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(what, seconds, check):
    """Polls check() until it returns a true value or the deadline passes."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            value = check()
            if value:
                return value
        except (OSError, ValueError, KeyError):
            pass
        if time.monotonic() > deadline:
            sys.exit(f"check-dashboards: timed out waiting for {what}")
        time.sleep(0.25)


class Prometheus:
    def __init__(self, base):
        self.base = base

    def query(self, expr):
        url = f"{self.base}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
        try:
            body = json.loads(get(url))
        except urllib.error.HTTPError as e:
            body = json.loads(e.read().decode())
        return body

    def label_values(self, label, match):
        url = f"{self.base}/api/v1/label/{urllib.parse.quote(label)}/values?" + urllib.parse.urlencode({"match[]": match})
        return json.loads(get(url))["data"]


# ---- structure

def check_structure(path, board):
    name = os.path.basename(path)
    raw = json.dumps(board)
    if "${DS_" in raw or "__inputs" in board:
        fail(f"{name}: import placeholders (${{DS_...}} or __inputs): dashboards must load provisioned and imported")
    if not board.get("uid") or not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", board["uid"]):
        fail(f"{name}: uid missing or invalid: {board.get('uid')!r}")
    if not isinstance(board.get("schemaVersion"), int) or board["schemaVersion"] < 36:
        fail(f"{name}: schemaVersion missing or older than 36: {board.get('schemaVersion')!r}")
    if not board.get("title"):
        fail(f"{name}: no title")
    variables = {v["name"]: v for v in board.get("templating", {}).get("list", [])}
    ds = variables.get("datasource")
    if not ds or ds.get("type") != "datasource" or ds.get("query") != "prometheus":
        fail(f"{name}: no 'datasource' variable of type datasource for prometheus")
    for v in variables.values():
        if v["type"] == "query" and v.get("datasource", {}).get("uid") != "${datasource}":
            fail(f"{name}: variable {v['name']} is not on the datasource variable")
    ids = set()
    panels = board.get("panels", [])
    if not panels:
        fail(f"{name}: no panels")
    for p in panels:
        pid = p.get("id")
        if not isinstance(pid, int) or pid in ids:
            fail(f"{name}: panel {p.get('title')!r}: id {pid!r} missing or not unique")
        ids.add(pid)
        g = p.get("gridPos", {})
        if not all(isinstance(g.get(k), int) for k in ("x", "y", "w", "h")) or g["x"] + g["w"] > 24 or g["w"] < 1 or g["h"] < 1:
            fail(f"{name}: panel {p.get('title')!r}: gridPos {g!r} is not a valid grid position")
        if p.get("datasource", {}).get("uid") != "${datasource}":
            fail(f"{name}: panel {p.get('title')!r} is not on the datasource variable")
        if not p.get("targets"):
            fail(f"{name}: panel {p.get('title')!r} has no query")
        for t in p.get("targets", []):
            if t.get("datasource", {}).get("uid") != "${datasource}":
                fail(f"{name}: panel {p.get('title')!r} query {t.get('refId')} is not on the datasource variable")
            if not t.get("expr"):
                fail(f"{name}: panel {p.get('title')!r} query {t.get('refId')} has no expression")
        if not p.get("description"):
            fail(f"{name}: panel {p.get('title')!r} says nothing of what it shows (description)")
    # Panels must not overlap.
    cells = {}
    for p in panels:
        g = p["gridPos"]
        for x in range(g["x"], g["x"] + g["w"]):
            for y in range(g["y"], g["y"] + g["h"]):
                if (x, y) in cells:
                    fail(f"{name}: panels {cells[(x, y)]!r} and {p['title']!r} overlap")
                    break
                cells[(x, y)] = p["title"]
    return variables


# ---- queries

VARIABLE_QUERY = re.compile(r'^\s*label_values\((?:(.*),\s*)?(\w+)\)\s*$')


def substitute(text, values):
    for name in sorted(values, key=len, reverse=True):
        text = text.replace("${" + name + "}", values[name]).replace("$" + name, values[name])
    return text


def resolve_variables(prom, name, variables):
    """Each variable's value, as Grafana would pick it: allValue for All, else the first value."""
    values = {"__rate_interval": "1m", "__interval": "15s", "__range": "5m"}
    for v in variables.values():
        if v["type"] != "query":
            continue
        if v.get("includeAll"):
            values[v["name"]] = v.get("allValue", ".*")
            continue
        query = v["query"]["query"] if isinstance(v["query"], dict) else v["query"]
        m = VARIABLE_QUERY.match(substitute(query, values))
        if not m:
            fail(f"{name}: variable {v['name']}: cannot evaluate {query!r}")
            continue
        found = sorted(prom.label_values(m.group(2), m.group(1) or "{__name__=~\".+\"}"))
        if not found:
            fail(f"{name}: variable {v['name']}: {query!r} has no values")
            continue
        values[v["name"]] = found[0]
    return values


def check_queries(prom, name, board, variables):
    values = resolve_variables(prom, name, variables)
    count = 0
    for p in board["panels"]:
        for t in p["targets"]:
            expr = substitute(t["expr"], values)
            count += 1
            body = prom.query(expr)
            where = f"{name}: panel {p['title']!r} query {t['refId']}"
            if body.get("status") != "success":
                fail(f"{where}: {body.get('errorType')}: {body.get('error')}\n      {expr}")
            elif not body["data"]["result"]:
                fail(f"{where}: returned nothing\n      {expr}")
            else:
                print(f"pass  {where}: {len(body['data']['result'])} series")
    return count


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--blockwatch", default=os.path.join(ROOT, "blockwatch"))
    args = parser.parse_args()
    for tool in ("prometheus", "promtool"):
        if not shutil.which(tool):
            sys.exit(f"check-dashboards: '{tool}' is not on the PATH (Debian's prometheus package has both)")

    work = tempfile.mkdtemp(prefix="blockwatch-dashboards.")
    procs = []
    try:
        demo_out = open(os.path.join(work, "demo.txt"), "w+")
        demo = subprocess.Popen([args.blockwatch, "demo", "--serve", "--metrics-listen", "127.0.0.1:0"],
                                stdout=demo_out, stderr=subprocess.STDOUT, start_new_session=True)
        procs.append(demo)

        def metrics_url():
            demo_out.flush()
            with open(demo_out.name) as f:
                m = re.search(r"^Metrics: (http://127\.0\.0\.1:\d+/metrics)", f.read(), re.M)
            if demo.poll() is not None:
                sys.exit("check-dashboards: the demo exited:\n" + open(demo_out.name).read())
            return m and m.group(1)

        url = wait_until("the demo's metrics", 300, metrics_url)
        target = urllib.parse.urlparse(url).netloc
        print(f"the demo serves {url}")

        port = free_port()
        config = os.path.join(work, "prometheus.yml")
        with open(config, "w") as f:
            f.write(f"""global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - {os.path.join(ROOT, 'prometheus', 'blockwatch-alerts.yml')}
scrape_configs:
  - job_name: blockwatch
    static_configs:
      - targets: ['{target}']
""")
        prom_log = open(os.path.join(work, "prometheus.log"), "w")
        procs.append(subprocess.Popen(["prometheus", f"--config.file={config}", f"--storage.tsdb.path={work}/data",
                                       f"--web.listen-address=127.0.0.1:{port}"], stdout=prom_log, stderr=subprocess.STDOUT,
                                      start_new_session=True))
        prom = Prometheus(f"http://127.0.0.1:{port}")
        wait_until("Prometheus to be ready", 60, lambda: "Ready" in get(f"{prom.base}/-/ready"))

        def scraped():
            r = prom.query('count_over_time(up{job="blockwatch"}[2m])')["data"]["result"]
            return r and float(r[0]["value"][1]) >= 5 and prom.query('up{job="blockwatch"} == 1')["data"]["result"]
        wait_until("five scrapes of the demo", 60, scraped)
        print("Prometheus has scraped the demo five times")

        queries = 0
        boards = sorted(glob.glob(os.path.join(HERE, "dashboards", "*.json")))
        if not boards:
            fail("no dashboards in grafana/dashboards")
        for path in boards:
            with open(path, encoding="utf-8") as f:
                board = json.load(f)
            variables = check_structure(path, board)
            queries += check_queries(prom, os.path.basename(path), board, variables)

        rules = json.loads(get(f"{prom.base}/api/v1/rules"))["data"]["groups"]
        loaded = [r for g in rules for r in g["rules"]]
        broken = [r["name"] for r in loaded if r.get("health") not in ("ok", "unknown")]
        if not loaded:
            fail("Prometheus loaded no alert rules")
        if broken:
            fail(f"rules that Prometheus cannot evaluate: {broken}")

        rules_file = os.path.join(ROOT, "prometheus", "blockwatch-alerts.yml")
        samples = os.path.join(ROOT, "prometheus")
        for cmd, stdin in ((["promtool", "check", "rules", rules_file], None),
                           (["promtool", "check", "config", os.path.join(samples, "prometheus.yml")], None),
                           (["promtool", "check", "config", "--agent", os.path.join(samples, "prometheus-agent.yml")], None),
                           (["promtool", "test", "rules", os.path.join(ROOT, "prometheus", "blockwatch-alerts.test.yml")], None),
                           (["promtool", "check", "metrics"], get(url))):
            r = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
            if r.returncode != 0:
                fail(f"{' '.join(cmd[:3])}: {r.stdout}{r.stderr}")
            else:
                print(f"pass  {' '.join(cmd[:3])} {os.path.basename(cmd[-1]) if len(cmd) > 3 else '(live /metrics)'}")
        print(f"{len(boards)} dashboards, {queries} queries, {len(loaded)} rules")
    finally:
        for p in procs:
            try:
                os.killpg(p.pid, signal.SIGTERM)
                p.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(p.pid, signal.SIGKILL)
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print(f"check-dashboards: {len(failures)} failure(s)")
        return 1
    print("check-dashboards: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
