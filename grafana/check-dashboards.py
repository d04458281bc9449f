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
  - starts a PostgreSQL (Debian's, initdb and pg_ctl in a temporary folder) and `blockwatch
    collector` on it, uploads the demo's measurements to it by the collector protocol, and runs
    every panel's SQL of the evidence dashboards (grafana/dashboards-postgresql) with Grafana's
    macros and variables expanded, failing when one errors or returns nothing; a table's data link
    to the collector is followed and must serve the measurement;
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

def check_structure(path, board, kind="prometheus", field="expr"):
    """kind: the data source type the dashboard is for; field: where its queries are (expr, rawSql)."""
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
    if not ds or ds.get("type") != "datasource" or ds.get("query") != kind:
        fail(f"{name}: no 'datasource' variable of type datasource for {kind}")
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
        if p.get("type") == "row":
            # A row only groups the panels below it (issue 30: "Apps (messengers)"): no query of its own.
            if g.get("w") != 24 or g.get("h") != 1 or p.get("panels") or p.get("targets") or p.get("collapsed"):
                fail(f"{name}: row {p.get('title')!r}: a row is 24 wide and 1 high, not collapsed, with its panels below it")
            continue
        if p.get("datasource", {}).get("uid") != "${datasource}":
            fail(f"{name}: panel {p.get('title')!r} is not on the datasource variable")
        if not p.get("targets"):
            fail(f"{name}: panel {p.get('title')!r} has no query")
        for t in p.get("targets", []):
            if t.get("datasource", {}).get("uid") != "${datasource}":
                fail(f"{name}: panel {p.get('title')!r} query {t.get('refId')} is not on the datasource variable")
            if not t.get(field):
                fail(f"{name}: panel {p.get('title')!r} query {t.get('refId')} has no {field}")
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


def resolve_variables(prom, name, variables, others=None):
    """Each variable's value, as Grafana would pick it: allValue for All, else the first value
    (the other values go into others, for panels that show data only for some targets)."""
    values = {"__rate_interval": "1m", "__interval": "15s", "__range": "5m"}
    for v in variables.values():
        if v["type"] == "custom":
            values[v["name"]] = v.get("allValue", ".*") if v.get("includeAll") else v["query"].split(",")[0]
            continue
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
        if others is not None:
            others[v["name"]] = found[1:]
    return values


def check_queries(prom, name, board, variables):
    others = {}
    values = resolve_variables(prom, name, variables, others)
    count = 0
    for p in board["panels"]:
        for t in p.get("targets", []):
            expr = substitute(t["expr"], values)
            count += 1
            body = prom.query(expr)
            where = f"{name}: panel {p['title']!r} query {t['refId']}"
            # A panel may have data only for some values of a variable (a TLS handshake time only for
            # HTTPS targets): as an analyst would, pick another value before calling it empty.
            for var, alternatives in others.items():
                if body.get("status") != "success" or body["data"]["result"] or "$" + var not in t["expr"]:
                    continue
                for alternative in alternatives:
                    expr = substitute(t["expr"], {**values, var: alternative})
                    body = prom.query(expr)
                    if body.get("status") == "success" and body["data"]["result"]:
                        where += f" (with {var}={alternative})"
                        break
            if body.get("status") != "success":
                fail(f"{where}: {body.get('errorType')}: {body.get('error')}\n      {expr}")
            elif t.get("format") == "table" and p["type"] == "table" and not table_links_hold(p, body["data"]["result"], where):
                pass
            elif not body["data"]["result"]:
                fail(f"{where}: returned nothing\n      {expr}")
            else:
                print(f"pass  {where}: {len(body['data']['result'])} series")
    # Annotation queries (state changes) must at least evaluate.
    for a in board.get("annotations", {}).get("list", []):
        if a.get("datasource", {}).get("uid") != "${datasource}" or not a.get("expr"):
            continue
        count += 1
        expr = substitute(a["expr"], values)
        body = prom.query(expr)
        if body.get("status") != "success":
            fail(f"{name}: annotation {a['name']!r}: {body.get('errorType')}: {body.get('error')}\n      {expr}")
        else:
            print(f"pass  {name}: annotation {a['name']!r}: {len(body['data']['result'])} series")
    return count


def table_links_hold(panel, result, where):
    """A table's data links name fields (${__data.fields.X}): each X must be a label of the result."""
    ok = True
    for o in panel.get("fieldConfig", {}).get("overrides", []):
        for prop in o.get("properties", []):
            for link in prop.get("value", []) if prop.get("id") == "links" else []:
                for field in re.findall(r"\$\{__data\.fields\.(\w+)(?::\w+)?\}", link["url"]):
                    if result and field not in result[0]["metric"]:
                        fail(f"{where}: the link {link['title']!r} names field {field!r}, which the query does not give")
                        ok = False
    return ok


# ---- the evidence dashboards, on the collector's PostgreSQL

class Postgres:
    """Debian's PostgreSQL, initdb and pg_ctl in a temporary folder (as nobody under root), no service."""

    def __init__(self, work):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda b: [int(x) for x in re.findall(r"\d+", b)])
        if not bins:
            raise FileNotFoundError("Debian's postgresql is not installed")
        self.bin = os.path.dirname(bins[-1])
        # Its own folder: the work folder is root's and closed to nobody.
        self.dir = tempfile.mkdtemp(prefix="blockwatch-pg.")
        self.as_pg = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "nobody", "nogroup")
            self.as_pg = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
        self.port = free_port()
        self.run("initdb", "-D", f"{self.dir}/data", "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.run("pg_ctl", "-D", f"{self.dir}/data", "-l", f"{self.dir}/log", "-o", f"-k {self.dir} -p {self.port} -h 127.0.0.1", "-w", "start")
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def run(self, tool, *args):
        r = subprocess.run(self.as_pg + [os.path.join(self.bin, tool), *args], cwd=self.dir, capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"{tool} failed: {r.stdout}{r.stderr}")

    def query(self, sql):
        """The rows of sql (lists of strings), or raises with PostgreSQL's error."""
        r = subprocess.run([os.path.join(self.bin, "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", "postgres",
                            "-X", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql], capture_output=True, text=True)
        if r.returncode != 0:
            raise ValueError(r.stderr.strip())
        return [line.split("\t") for line in r.stdout.splitlines()]

    def stop(self):
        try:
            self.run("pg_ctl", "-D", f"{self.dir}/data", "-m", "fast", "-w", "stop")
        except RuntimeError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def expand_sql(sql, values, since, until):
    """Grafana's SQL macros and variables, as its PostgreSQL data source expands them."""
    sql = re.sub(r"\$__timeFilter\(([^)]+)\)", lambda m: f"{m.group(1)} BETWEEN '{since}'::timestamptz AND '{until}'::timestamptz", sql)
    sql = re.sub(r"\$__timeGroupAlias\(([^,]+),\s*(\d+)([smhd])\)",
                 lambda m: f"to_timestamp(floor(extract(epoch FROM {m.group(1)}) / {int(m.group(2)) * SECONDS[m.group(3)]})"
                           f" * {int(m.group(2)) * SECONDS[m.group(3)]}) AS \"time\"", sql)
    sql = sql.replace("$__timeFrom()", f"'{since}'::timestamptz").replace("$__timeTo()", f"'{until}'::timestamptz")
    return substitute(sql, values)


def quoted(values):
    return ",".join("'" + v.replace("'", "''") + "'" for v in values)


def upload_demo(blockwatch, store, collector):
    """The demo's measurements, exported in OONI's format, submitted to the collector by its protocol."""
    lines = subprocess.run([blockwatch, "export", "--format", "ooni-jsonl", "--db", store], check=True, capture_output=True,
                           text=True).stdout.splitlines()
    reports, stored = {}, 0
    for line in lines:
        m = json.loads(line)
        network = (m["probe_asn"], m["probe_cc"])
        if network not in reports:
            opened = {"format": "json", "data_format_version": "0.2.0", "probe_asn": m["probe_asn"], "probe_cc": m["probe_cc"],
                      "software_name": m["software_name"], "software_version": m["software_version"], "test_name": m["test_name"],
                      "test_version": m["test_version"]}
            with OPENER.open(urllib.request.Request(f"{collector}/report", json.dumps(opened).encode(),
                                                    {"Content-Type": "application/json"}), timeout=10) as r:
                reports[network] = json.loads(r.read())["report_id"]
        m["report_id"] = reports[network]
        with OPENER.open(urllib.request.Request(f"{collector}/report/{reports[network]}", json.dumps({"format": "json", "content": m}).encode(),
                                                {"Content-Type": "application/json"}), timeout=10) as r:
            stored += r.status == 200
    return stored


def check_evidence(pg, collector, boards):
    until = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 60))
    since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 7 * 86400))
    count = 0
    for path in boards:
        name = os.path.basename(path)
        with open(path, encoding="utf-8") as f:
            board = json.load(f)
        variables = check_structure(path, board, "grafana-postgresql-datasource", "rawSql")
        values = {}
        for v in variables.values():
            if v["type"] == "textbox":
                # The collector's address is set by the analyst; here it is the collector just started.
                values[v["name"]] = collector if v["name"] == "collector" else v["query"]
            elif v["type"] == "query":
                try:
                    found = [row[0] for row in pg.query(expand_sql(v["query"], values, since, until))]
                except ValueError as e:
                    fail(f"{name}: variable {v['name']}: {e}")
                    continue
                if not found:
                    fail(f"{name}: variable {v['name']} has no values")
                # "All" of a multi-value variable: every value, quoted, as Grafana does for SQL.
                values[v["name"]] = quoted(found) if v.get("includeAll") else quoted(found[:1])
        for p in board["panels"]:
            for t in p["targets"]:
                count += 1
                where = f"{name}: panel {p['title']!r} query {t['refId']}"
                sql = expand_sql(t["rawSql"], values, since, until)
                try:
                    rows = pg.query(sql)
                except ValueError as e:
                    fail(f"{where}: {e}\n      {sql}")
                    continue
                if not rows or (len(rows) == 1 and rows[0] in (["0"], [""])):
                    fail(f"{where}: returned nothing\n      {sql}")
                    continue
                empty = [i + 1 for i in range(len(rows[0])) if all(i >= len(r) or r[i] == "" for r in rows)]
                if empty:
                    fail(f"{where}: column(s) {empty} empty in every row\n      {sql}")
                    continue
                print(f"pass  {where}: {len(rows)} rows")
                for o in p.get("fieldConfig", {}).get("overrides", []):
                    for prop in o.get("properties", []):
                        for link in prop.get("value", []) if prop.get("id") == "links" else []:
                            column = o["matcher"]["options"]
                            count += 1
                            check_link(pg, sql, column, substitute(link["url"], values), where)
    return count


def check_link(pg, sql, column, url, where):
    """A table's data link on a column, followed for the first row: the collector must serve the measurement.
    The link's other fields of that row (${__data.fields.X}: the collector's signed link) are filled in as Grafana does."""
    fields = re.findall(r"\$\{__data\.fields\.(\w+)\}", url)
    rows = pg.query(f"SELECT {', '.join([column] + fields)} FROM ({sql}) AS panel LIMIT 1")
    value = rows[0][0]
    target = url.replace("${__value.raw}", urllib.parse.quote(value))
    for field, v in zip(fields, rows[0][1:]):
        target = target.replace("${__data.fields." + field + "}", v)
    try:
        doc = json.loads(get(target))
    except (urllib.error.URLError, ValueError) as e:
        fail(f"{where}: the link on {column} ({target}) does not serve a measurement: {e}")
        return
    if doc.get("measurement_uid") != value:
        fail(f"{where}: the link on {column} ({target}) served another measurement")
    else:
        print(f"pass  {where}: the link on {column} serves the measurement ({target})")


def check_running(base):
    """Only the Prometheus dashboards' queries, against a Prometheus that already holds probes' series."""
    prom = Prometheus(base)
    queries = 0
    boards = sorted(glob.glob(os.path.join(HERE, "dashboards", "*.json")))
    for path in boards:
        with open(path, encoding="utf-8") as f:
            board = json.load(f)
        variables = check_structure(path, board)
        if os.path.basename(path) == "blockwatch-collector.json" \
                and not prom.query("count(blockwatch_collector_requests_total)")["data"]["result"]:
            # A fleet's Prometheus (the lab's) may watch probes only; the collector's dashboard is
            # checked against a Prometheus that scrapes a real collector in run-tests' own mode.
            print(f"skip  {os.path.basename(path)}: this Prometheus scrapes no collector")
            continue
        queries += check_queries(prom, os.path.basename(path), board, variables)
    print(f"{len(boards)} dashboards, {queries} queries against {base}")
    if failures:
        print(f"check-dashboards: {len(failures)} failure(s)")
        return 1
    print("check-dashboards: PASS")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--blockwatch", default=os.path.join(ROOT, "blockwatch"))
    parser.add_argument("--prometheus", metavar="URL",
                        help="evaluate the Prometheus dashboards against this running Prometheus (the lab's fleet), and nothing else")
    args = parser.parse_args()
    if args.prometheus:
        return check_running(args.prometheus.rstrip("/"))
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
        prom_proc = subprocess.Popen(["prometheus", f"--config.file={config}", f"--storage.tsdb.path={work}/data",
                                      f"--web.listen-address=127.0.0.1:{port}"], stdout=prom_log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        procs.append(prom_proc)
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
        # The collector's own dashboard is on the collector's metrics: checked once a collector runs (below).
        collector_boards = [b for b in boards if os.path.basename(b) == "blockwatch-collector.json"]
        for path in [b for b in boards if b not in collector_boards]:
            with open(path, encoding="utf-8") as f:
                board = json.load(f)
            variables = check_structure(path, board)
            queries += check_queries(prom, os.path.basename(path), board, variables)

        evidence = sorted(glob.glob(os.path.join(HERE, "dashboards-postgresql", "*.json")))
        pg = None
        try:
            pg = Postgres(work)
        except FileNotFoundError as e:
            message = f"the evidence dashboards need Debian's postgresql: {e}"
            if os.environ.get("CI") == "true":
                fail(message)
            else:
                print(f"skip  {message}")
        except RuntimeError as e:
            fail(f"PostgreSQL did not start: {e}")
        if pg:
            procs.append(pg)
            cport = free_port()
            collector_out = open(os.path.join(work, "collector.txt"), "w+")
            procs.append(subprocess.Popen([args.blockwatch, "collector", "--database", pg.url, "--listen", f"127.0.0.1:{cport}"],
                                          stdout=collector_out, stderr=subprocess.STDOUT, start_new_session=True))
            wait_until("the collector", 120, lambda: "listening" in open(collector_out.name).read())
            with open(demo_out.name) as f:
                store = re.search(r"stored in (.+)\.$", f.read(), re.M).group(1)
            uploaded = upload_demo(args.blockwatch, store, f"http://127.0.0.1:{cport}")
            print(f"the demo's {uploaded} measurements are in the collector")
            queries += check_evidence(pg, f"http://127.0.0.1:{cport}", evidence)
            # Prometheus scrapes the collector too (SIGHUP reloads its configuration), then the collector's dashboard.
            with open(config, "a") as f:
                f.write(f"""  - job_name: blockwatch-collector
    static_configs:
      - targets: ['127.0.0.1:{cport}']
""")
            prom_proc.send_signal(signal.SIGHUP)

            def collector_scraped():
                r = prom.query('count_over_time(up{job="blockwatch-collector"}[2m])')["data"]["result"]
                return r and float(r[0]["value"][1]) >= 3
            wait_until("three scrapes of the collector", 60, collector_scraped)
            for path in collector_boards:
                with open(path, encoding="utf-8") as f:
                    board = json.load(f)
                variables = check_structure(path, board)
                queries += check_queries(prom, os.path.basename(path), board, variables)
        elif collector_boards:
            print(f"skip  {', '.join(os.path.basename(b) for b in collector_boards)}: no collector without PostgreSQL")

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
        print(f"{len(boards) + len(evidence)} dashboards, {queries} queries, {len(loaded)} rules")
    finally:
        for p in reversed(procs):
            if isinstance(p, Postgres):
                p.stop()
                continue
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
