#!/usr/bin/env python3
"""Checks the lab's results against lab/scenarios.tsv.

  check.py measure SCENARIOS JSONL VERDICTS   one line per scenario, PASS or FAIL; writes each
                                              verdict (status, method, flags) to VERDICTS. A flag
                                              written !flag must not be there
  check.py metrics SCENARIOS METRICS ONLINE   the agent's /metrics: every target in its expected
                                              state, blockwatch_network_online == ONLINE
  check.py location STORE                     the location phase's store: measurements labelled with
                                              the network of their sweep (home, then mobile), the
                                              resolver identified, one report per sweep, the echoed
                                              address scrubbed
  check.py dump STORE                         every row of the store as text (to search it)
  check.py count STORE                        how many measurements the store holds
  check.py fleet COLLECTED FLEET LOCAL STORE...
                                              the collector holds every measurement of the stores,
                                              exactly once; the fleet's timelines (FLEET, from the
                                              collector) equal the stores' merged (LOCAL), ids aside
  check.py firing PROMETHEUS ALERT            exit 0 when ALERT is firing in that Prometheus
  check.py push PROMETHEUS START END          the central Prometheus fed by remote write: three probes
                                              (lab-1, lab-2, lab-3) on two networks, every series
                                              labelled with its probe's network and no address, and
                                              samples for each probe between START and END (Unix
                                              seconds: the receiver's outage)
  check.py bandwidth ROWS                     the bandwidth benchmark's tables (lab/run --bandwidth)
  check.py apps APPS DIR VERDICTS SCHEMA      the apps phase: DIR/<name>.jsonl for each scenario of
                                              APPS (lab/apps.tsv), one document of the app's test,
                                              valid against SCHEMA, with the expected OONI keys and
                                              x_verdict (status, method, exactly the flags, the
                                              explanation's text); writes each verdict to VERDICTS
  check.py dns DNS DIR VERDICTS SCHEMA        the dns phase: DIR/<name>.jsonl for each scenario of
                                              DNS (lab/dns.tsv, addresses filled in), one document of
                                              the scenario's test, valid against SCHEMA, its
                                              x_verdict and test_keys as the row says; writes each
                                              verdict to VERDICTS
  check.py ports ALL OPEN METRICS [STATUS STORE]
                                              what survives a whitelist shutdown: in the agent's
                                              /metrics each channel of ALL (e.g. "tcp/443 udp/53")
                                              open exactly when it is in OPEN; with STATUS (the output
                                              of blockwatch status) and STORE, the status line and
                                              the last portfiltering record name OPEN as still open
  check.py dns-cost ROWS [GENERATIONS]        the benchmark of issue 31's measurements (lab/run
                                              --dns-cost): per measurement, the medians of the bytes
                                              on the client's link (with GENERATIONS, each
                                              measurement's bytes in all, after its exit included),
                                              connections, CPU and wall seconds, and the SNI
                                              follow-up's part, as markdown
Exit status 1 when anything failed.
"""
import csv
import json
import re
import sys


def scenarios(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 6:
                sys.exit(f"{path}:{number}: expected 6 tab-separated columns, found {len(cols)}")
            name, url, status, method, flags, what = cols
            rows.append({
                "name": name, "url": url, "status": status,
                "method": None if method == "-" else method,
                "flags": [] if flags == "-" else flags.split(","),
                "what": what,
            })
    return rows


def flag_problems(expected, flags):
    """What is wrong with a verdict's flags: each expected one must be there, each !flag must not."""
    problems = []
    missing = [f for f in expected if not f.startswith("!") and f not in flags]
    if missing:
        problems.append(f"flags {flags} lack {missing}")
    unwanted = [f[1:] for f in expected if f.startswith("!") and f[1:] in flags]
    if unwanted:
        problems.append(f"flags {flags} have {unwanted}, which they must not")
    return problems


def measure(scenario_path, jsonl_path, verdicts_path):
    rows = scenarios(scenario_path)
    seen = {}
    with open(jsonl_path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            try:
                m = json.loads(line)
            except json.JSONDecodeError as e:
                print(f"FAIL  {jsonl_path}:{number}: not JSON ({e})")
                return 1
            seen[m["input"]] = m
    failed = 0
    with open(verdicts_path, "w", encoding="utf-8") as out:
        for s in rows:
            m = seen.get(s["url"])
            if m is None:
                print(f"FAIL  {s['name']:<22} {s['url']}: no measurement printed")
                failed += 1
                out.write(f"{s['name']}\tmissing\n")
                continue
            v = m["test_keys"]["x_verdict"]
            problems = []
            if v["status"] != s["status"]:
                problems.append(f"status {v['status']}, expected {s['status']}")
            if v["method"] != s["method"]:
                problems.append(f"method {v['method']}, expected {s['method']}")
            problems += flag_problems(s["flags"], v["flags"])
            if m.get("probe_ip") != "127.0.0.1":
                problems.append(f"probe_ip is {m.get('probe_ip')!r}, not scrubbed")
            got = f"{v['status']} {v['method'] or '-'} {','.join(v['flags']) or '-'}"
            out.write(f"{s['name']}\t{v['status']}\t{v['method'] or '-'}\t{','.join(sorted(v['flags'])) or '-'}\n")
            if problems:
                failed += 1
                print(f"FAIL  {s['name']:<22} {got}: {'; '.join(problems)}")
                print(f"      censor: {s['what']}")
                print(f"      probe:  {v['explanation']}")
            else:
                print(f"pass  {s['name']:<22} {got}")
    print(f"{len(rows) - failed} of {len(rows)} scenarios as expected")
    return 1 if failed else 0


SAMPLE = re.compile(r'^(\w+)(?:\{(.*)\})? (\S+)$')
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def samples(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            m = SAMPLE.match(line.strip())
            if not m:
                continue
            labels = {k: v.replace('\\"', '"').replace("\\\\", "\\") for k, v in LABEL.findall(m.group(2) or "")}
            out.append((m.group(1), labels, float(m.group(3))))
    return out


def metrics(scenario_path, metrics_path, online):
    rows = scenarios(scenario_path)
    data = samples(metrics_path)
    failed = 0

    def value(name, **labels):
        for n, l, v in data:
            if n == name and all(l.get(k) == val for k, val in labels.items()):
                return v
        return None

    net = value("blockwatch_network_online")
    if net != float(online):
        print(f"FAIL  blockwatch_network_online is {net}, expected {online}")
        failed += 1
    else:
        print(f"pass  blockwatch_network_online {online}")
    restricted = value("blockwatch_network_state", state="restricted") == 1.0
    for s in rows:
        state = value("blockwatch_target_state", target=s["url"], state=s["status"])
        problems = []
        if state != 1.0:
            current = [l.get("state") for n, l, v in data
                       if n == "blockwatch_target_state" and l.get("target") == s["url"] and v == 1.0]
            problems.append(f"state {current or 'absent'}, expected {s['status']}")
        if s["method"]:
            if value("blockwatch_target_state", target=s["url"], state=s["status"], method=s["method"]) != 1.0:
                problems.append(f"blockwatch_target_state{{method=\"{s['method']}\"}} is not 1")
        # While online, the last measurement carries the expected evidence (those made offline or
        # restricted carry none).
        if online and not restricted:
            shown = {f for n, l, v in data if n == "blockwatch_target_flags" and l.get("target") == s["url"]
                     for f in l.get("flags", "").split(",")}
            for f in s["flags"]:
                flag = f.split(":")[0]
                if flag.startswith("!"):
                    if flag[1:] in shown:
                        problems.append(f"blockwatch_target_flags has {flag[1:]}, which it must not")
                    continue
                if flag not in shown:
                    problems.append(f"blockwatch_target_flags has no {flag} (it lists {sorted(shown)})")
        if problems:
            failed += 1
            print(f"FAIL  {s['name']:<22} {'; '.join(problems)}")
        else:
            print(f"pass  {s['name']:<22} {s['status']} {s['method'] or '-'}")
    # Flags are counted, without the blockpage's name: every expected one must have been seen.
    for flag in sorted({f.split(":")[0] for s in rows for f in s["flags"] if not f.startswith("!")}):
        count = value("blockwatch_flags_total", flag=flag)
        if not count or count < 1:
            failed += 1
            print(f"FAIL  blockwatch_flags_total{{flag=\"{flag}\"}} is {count}, expected at least 1")
        else:
            print(f"pass  blockwatch_flags_total{{flag=\"{flag}\"}} {count:g}")
    return 1 if failed else 0


def location(store_path):
    import sqlite3
    db = sqlite3.connect(store_path)
    rows = [(asn, cc, json.loads(doc)) for asn, cc, doc in
            db.execute("SELECT probe_asn, probe_cc, json FROM measurements ORDER BY id")]
    failed = False

    def check(ok, what):
        nonlocal failed
        print(("PASS " if ok else "FAIL ") + what)
        failed |= not ok

    labels = [(asn, cc) for asn, cc, _ in rows]
    check(bool(labels) and labels[0] == ("AS64500", "KZ") and labels[-1] == ("AS64520", "UZ")
          and labels == sorted(labels, key=lambda l: l != ("AS64500", "KZ"))
          and set(labels) == {("AS64500", "KZ"), ("AS64520", "UZ")},
          f"stored rows labelled home (AS64500 KZ), then mobile (AS64520 UZ): {sorted(set(labels))}")
    check(all(m["resolver_ip"] == "198.18.0.1" and m["resolver_asn"] == "AS64511" and m["test_keys"].get("x_resolver_elsewhere")
              and m["test_keys"]["client_resolver"] == "198.18.0.1" for _, _, m in rows),
          "the resolver identified: egress 198.18.0.1, AS64511, another network than the probe's")
    reports = {}
    for asn, _, m in rows:
        reports.setdefault(m["report_id"], set()).add((asn, m["test_start_time"]))
    check(all(r and len(v) == 1 for r, v in reports.items()) and len(reports) >= 2,
          f"one report_id and test_start_time per sweep and kind ({len(reports)} reports)")
    echoed = [m for _, _, m in rows if m["input"] == "http://echo.test/"]
    check(bool(echoed) and all(m.get("x_scrubbed_addresses", 0) >= 5 for m in echoed),
          "echo.test put the address it saw in a redirect, headers, a cookie, a title and a body; every one scrubbed: "
          + str([m.get("x_scrubbed_addresses") for m in echoed]))
    check(all(m.get("measurement_uid") for _, _, m in rows), "every stored measurement has its measurement_uid")
    return 1 if failed else 0


def dump(store_path):
    import sqlite3
    db = sqlite3.connect(store_path)
    for table in ("measurements", "state_changes"):
        for row in db.execute("SELECT * FROM " + table):
            print(row)
    return 0


def count(store_path):
    import sqlite3
    print(sqlite3.connect(store_path).execute("SELECT count(*) FROM measurements").fetchone()[0])
    return 0


def fleet(collected_path, fleet_csv, local_csv, stores):
    import sqlite3
    failed = False

    def check(ok, what):
        nonlocal failed
        print(("PASS " if ok else "FAIL ") + what)
        failed |= not ok

    collected = [l.strip() for l in open(collected_path) if l.strip()]
    held = []
    for s in stores:
        held += [r[0] for r in sqlite3.connect(s).execute("SELECT measurement_uid FROM measurements")]
    check(len(collected) == len(set(collected)), f"the collector holds each measurement once ({len(collected)} rows)")
    check(set(collected) == set(held) and len(held) == len(set(held)),
          f"the collector holds every measurement of the three stores ({len(set(held))}), and nothing else"
          + ("" if set(collected) == set(held) else f": missing {len(set(held) - set(collected))}, extra {len(set(collected) - set(held))}"))

    def rows(path):
        # Whole rows: a store and the collector name each measurement by the same measurement_uid (issue 32).
        return sorted(l.rstrip("\n") for l in open(path, encoding="utf-8") if l.strip())

    fleet_rows, local_rows = rows(fleet_csv), rows(local_csv)
    check(len(fleet_rows) > 1 and fleet_rows == local_rows,
          f"the fleet's timelines from the collector equal the stores' merged ({len(fleet_rows) - 1} rows)")
    return 1 if failed else 0


def prom(base, expr, at=None):
    import urllib.parse
    import urllib.request
    query = {"query": expr}
    if at is not None:
        query["time"] = str(at)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"{base}/api/v1/query?" + urllib.parse.urlencode(query), timeout=10) as r:
        return json.loads(r.read().decode())["data"]["result"]


def firing(base, alert):
    return 0 if prom(base, f'ALERTS{{alertname="{alert}", alertstate="firing"}}') else 1


def push(base, start, end):
    failed = 0

    def check(ok, what):
        nonlocal failed
        print(("pass  " if ok else "FAIL  ") + what)
        failed += 0 if ok else 1

    probes = sorted(r["metric"].get("instance") for r in prom(base, "blockwatch_probe_info"))
    check(probes == ["lab-1", "lab-2", "lab-3"], f"three probes push: {probes}")
    networks = sorted({(r["metric"].get("asn"), r["metric"].get("cc")) for r in prom(base, "blockwatch_probe_info")})
    check(len(networks) == 2, f"on two networks: {networks}")
    unlabelled = prom(base, 'count by (__name__, instance) ({job="blockwatch", asn=""}) or count by (__name__, instance) ({job="blockwatch", cc=""})')
    check(not unlabelled, "every pushed series carries asn and cc"
          + ("" if not unlabelled else ": not " + ", ".join(sorted({f'{r["metric"].get("__name__")} of {r["metric"].get("instance")}' for r in unlabelled}))))
    # The probe's side of the lab (10.77.0.0/16: the clients, their NAT): no series may name one of
    # its addresses. Servers' addresses the configuration names (a resolver asked, dnscheck's
    # udp://IP input, since issue 31) are public knowledge, not the volunteer's.
    addresses = [r["metric"] for r in prom(base, '{job="blockwatch"}')
                 if any(re.search(r"\b10\.77\.\d{1,3}\.\d{1,3}\b", v) for v in r["metric"].values())]
    check(not addresses, f"no series carries an address of the probe's side ({len(addresses)} do)")
    seconds = max(1, int(float(end) - float(start)))
    for probe in ("lab-1", "lab-2", "lab-3"):
        inside = prom(base, f'count_over_time(blockwatch_build_info{{instance="{probe}"}}[{seconds}s])', at=end)
        n = int(float(inside[0]["value"][1])) if inside else 0
        check(n >= 3, f"{probe}: {n} samples from the receiver's outage arrived after it")
    return 1 if failed else 0


def bandwidth(rows_path):
    """The bandwidth benchmark's tables: per program, the median bytes per measurement over the repetitions."""
    with open(rows_path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    programs = list(dict.fromkeys(r["program"] for r in rows))
    scenarios = list(dict.fromkeys(r["scenario"] for r in rows))
    columns = ("dns", "control", "site", "upload")
    runs = {}
    for r in rows:
        runs.setdefault((r["scenario"], r["program"]), []).append({k: int(r[k]) for k in columns})
    median = lambda values: sorted(values)[len(values) // 2]
    wire = lambda r: r["dns"] + r["control"] + r["site"]
    by = {key: {k: median([r[k] for r in rs]) for k in columns} for key, rs in runs.items()}
    kib = lambda n: f"{n / 1024:,.1f}"
    print(f"KiB per measurement, the median of {max(len(rs) for rs in runs.values())}: "
          "on the wire (resolvers + control + sites), then the upload")
    print()
    print("| scenario | " + " | ".join(f"{p}: wire | upload" for p in programs) + " |")
    print("|---|" + "---|---|" * len(programs))
    for s in scenarios:
        print(f"| {s} | " + " | ".join(f"{kib(wire(by[s, p]))} | {kib(by[s, p]['upload'])}" for p in programs) + " |")
    print()
    print(f"| all {len(scenarios)} scenarios | resolvers | control | sites | wire | upload | wire + upload |")
    print("|---|---|---|---|---|---|---|")
    totals = {}
    for p in programs:
        t = {k: sum(by[s, p][k] for s in scenarios) for k in columns}
        totals[p] = wire(t) + t["upload"]
        print(f"| {p} | {kib(t['dns'])} | {kib(t['control'])} | {kib(t['site'])} | "
              f"{kib(wire(t))} | {kib(t['upload'])} | {kib(totals[p])} |")
    print()
    for p in programs[1:]:
        print(f"{p} / {programs[0]}: {totals[p] / totals[programs[0]]:.2f} (wire + upload, all scenarios)")
    spread = [(s, p, [wire(r) for r in runs[s, p]]) for s in scenarios for p in programs]
    spread = [(s, p, w) for s, p, w in spread if max(w) > 1.2 * min(w) and max(w) - min(w) > 2048]
    if spread:
        print()
        print("On the wire, repetitions more than 20% apart:")
        for s, p, w in spread:
            print(f"- {s}, {p}: " + ", ".join(kib(x) for x in w) + " KiB")
    return 0


def app_scenarios(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 10:
                sys.exit(f"{path}:{number}: expected 10 tab-separated columns, found {len(cols)}")
            name, app, config, network, status, method, flags, keys, explanation, what = cols
            expected = {}
            for pair in keys.split(" ") if keys != "-" else []:
                key, _, value = pair.partition("=")
                try:
                    expected[key] = json.loads(value)
                except json.JSONDecodeError:
                    sys.exit(f"{path}:{number}: {key}'s value {value!r} is not JSON")
            rows.append({
                "name": name, "app": app, "config": config, "network": network, "status": status,
                "method": None if method == "-" else method,
                "flags": [] if flags == "-" else sorted(flags.split(",")),
                "keys": expected, "explanation": None if explanation == "-" else explanation, "what": what,
            })
    return rows


def document_problems(validator, m, test):
    """A document printed by `measure --json`, against the schema, and its probe address scrubbed."""
    problems = []
    # `measure --json` prints a measurement outside any report: the store gives it its
    # report_id and measurement_uid (as it does a web page's); the rest must be valid as it is.
    stored = dict(m)
    if stored.get("report_id") == "":
        stored["report_id"] = "20261201T000000Z_" + test.replace("_", "") + "_KZ_64500_n1_" + "x" * 43
    stored.setdefault("measurement_uid", "20261201000000.000000_KZ_" + test.replace("_", "") + "_0123456789abcdef")
    for e in sorted(validator.iter_errors(stored), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in e.absolute_path) or "(document)"
        problems.append(f"schema: {where}: {e.message[:200]}")
    if m.get("probe_ip") != "127.0.0.1":
        problems.append(f"probe_ip is {m.get('probe_ip')!r}, not scrubbed")
    return problems


def read_documents(path):
    """The JSON documents of a JSONL file, and what kept them from being read."""
    docs, problems = [], []
    try:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                try:
                    docs.append(json.loads(line))
                except json.JSONDecodeError as e:
                    problems.append(f"{path}:{number} is not JSON ({e})")
    except FileNotFoundError:
        problems.append(f"{path} is missing")
    return docs, problems


def apps(scenario_path, directory, verdicts_path, schema_path):
    """The apps phase: each scenario's document as OONI's keys and blockwatch's verdict expect it."""
    import os
    import jsonschema
    with open(schema_path, encoding="utf-8") as f:
        validator = jsonschema.Draft202012Validator(json.load(f))
    rows = app_scenarios(scenario_path)
    failed = 0
    with open(verdicts_path, "w", encoding="utf-8") as out:
        for s in rows:
            problems = []
            path = os.path.join(directory, s["name"] + ".jsonl")
            docs, unread = read_documents(path)
            problems += unread
            if not problems and len(docs) != 1:
                problems.append(f"{len(docs)} documents printed, expected one")
            m = docs[0] if len(docs) == 1 and not problems else None
            got = "missing"
            if m is not None:
                if m.get("test_name") != s["app"]:
                    problems.append(f"test_name {m.get('test_name')!r}, expected {s['app']!r}")
                problems += document_problems(validator, m, s["app"])
                keys = m.get("test_keys") or {}
                for key, value in s["keys"].items():
                    if key not in keys:
                        problems.append(f"{key} absent, expected {json.dumps(value)}")
                    elif keys[key] != value:
                        problems.append(f"{key} is {json.dumps(keys[key])}, expected {json.dumps(value)}")
                v = keys.get("x_verdict") or {}
                flags = sorted(v.get("flags") or [])
                if v.get("status") != s["status"]:
                    problems.append(f"x_verdict status {v.get('status')}, expected {s['status']}")
                if v.get("method") != s["method"]:
                    problems.append(f"x_verdict method {v.get('method')}, expected {s['method']}")
                if flags != s["flags"]:
                    problems.append(f"x_verdict flags {flags}, expected exactly {s['flags']}")
                if s["explanation"] and s["explanation"] not in (v.get("explanation") or ""):
                    problems.append(f"the explanation does not say {s['explanation']!r}")
                got = f"{v.get('status')} {v.get('method') or '-'} {','.join(flags) or '-'}"
            out.write(f"{s['name']}\t{got.replace(' ', chr(9))}\n")
            if problems:
                failed += 1
                print(f"FAIL  {s['name']:<16} {s['app']:<18} {got}")
                for p in problems:
                    print(f"      - {p}")
                print(f"      censor: {s['what']}")
                if m is not None:
                    print(f"      probe:  {(m.get('test_keys') or {}).get('x_verdict', {}).get('explanation')}")
            else:
                print(f"pass  {s['name']:<16} {s['app']:<18} {got}")
    print(f"{len(rows) - failed} of {len(rows)} app scenarios as expected (OONI's keys, x_verdict, the schema)")
    return 1 if failed else 0


def apps_cost(rows_path):
    """The apps' cost benchmark: per app and scenario, the median over the repetitions of the bytes
    on the wire (resolver, control, the app's servers) and the CPU of `measure`; then the agent's
    three sweeps of the four apps, per app measurement."""
    with open(rows_path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    median = lambda values: sorted(values)[len(values) // 2]
    kib = lambda n: f"{n / 1024:,.1f}"
    runs = {}
    for r in rows:
        if r["what"] == "measure":
            runs.setdefault((r["app"], r["scenario"]), []).append(r)
    n = max((len(v) for v in runs.values()), default=0)
    print(f"`blockwatch measure APP` from a terminal, the median of {n}: KiB on the wire and CPU seconds (the JVM's start included)")
    print()
    print("| app | scenario | resolver | control | app's servers | wire | CPU s |")
    print("|---|---|---|---|---|---|---|")
    for (app, scenario), rs in runs.items():
        d, c, a = (median([int(r[k]) for r in rs]) for k in ("dns", "control", "app_bytes"))
        cpu = median([float(r["cpu_seconds"]) for r in rs])
        print(f"| {app} | {scenario} | {kib(d)} | {kib(c)} | {kib(a)} | {kib(d + c + a)} | {cpu:.2f} |")
    for r in rows:
        if r["what"].startswith("agent"):
            measured = 3 * 4
            wire = int(r["dns"]) + int(r["control"]) + int(r["app_bytes"])
            print()
            print(f"The agent, 3 sweeps of the 4 apps (open) after a first: {kib(wire)} KiB on the wire and "
                  f"{float(r['cpu_seconds']):.2f} CPU s; per app measurement {kib(wire / measured)} KiB and "
                  f"{float(r['cpu_seconds']) / measured:.3f} CPU s.")
    return 0


def dns_scenarios(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 9:
                sys.exit(f"{path}:{number}: expected 9 tab-separated columns, found {len(cols)}")
            name, test, resolver, input_, status, method, flags, keys, what = cols
            if "@" in resolver:
                sys.exit(f"{path}:{number}: {resolver} still has a placeholder (lab/run's render() fills them in)")
            rows.append({
                "name": name, "test": test, "resolver": resolver, "input": resolver if input_ == "-" else input_,
                "status": status, "method": None if method == "-" else method,
                "flags": [] if flags == "-" else flags.split(","),
                "keys": [] if keys == "-" else keys.split(" "), "what": what,
            })
    return rows


_ABSENT = object()


def _at(keys, path):
    """The value at a dotted path of test_keys (x_dns_intercepted.intercepted), or _ABSENT."""
    value = keys
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return _ABSENT
        value = value[part]
    return value


def key_problems(expected, keys):
    """test_keys against a row's conditions (KEY a dotted path): KEY=JSON equal, KEY truthy, !KEY absent or falsy."""
    problems = []
    for condition in expected:
        if condition.startswith("!"):
            value = _at(keys, condition[1:])
            if value is not _ABSENT and value:
                problems.append(f"{condition[1:]} is {json.dumps(value)}, expected absent or falsy")
        elif "=" in condition:
            key, _, want = condition.partition("=")
            value = _at(keys, key)
            if value is _ABSENT:
                problems.append(f"{key} absent, expected {want}")
            elif value != json.loads(want):
                problems.append(f"{key} is {json.dumps(value)}, expected {want}")
        else:
            value = _at(keys, condition)
            if value is _ABSENT or not value:
                problems.append(f"{condition} is {json.dumps(None if value is _ABSENT else value)}, expected truthy")
    return problems


def dns(scenario_path, directory, verdicts_path, schema_path):
    """The dns phase: each scenario's document (dnscheck's, or a web page's measured with the
    scenario's resolver) as blockwatch's verdict and the row's test_keys expect it."""
    import os
    import jsonschema
    with open(schema_path, encoding="utf-8") as f:
        validator = jsonschema.Draft202012Validator(json.load(f))
    rows = dns_scenarios(scenario_path)
    failed = 0
    with open(verdicts_path, "w", encoding="utf-8") as out:
        for s in rows:
            docs, problems = read_documents(os.path.join(directory, s["name"] + ".jsonl"))
            if not problems and len(docs) != 1:
                problems.append(f"{len(docs)} documents printed, expected one")
            m = docs[0] if len(docs) == 1 and not problems else None
            got = "missing"
            if m is not None:
                if m.get("test_name") != s["test"]:
                    problems.append(f"test_name {m.get('test_name')!r}, expected {s['test']!r}")
                # dnscheck's input is the resolver's URL (ts-028), a web page's its URL.
                if m.get("input") != s["input"]:
                    problems.append(f"input {m.get('input')!r}, expected {s['input']!r}")
                problems += document_problems(validator, m, s["test"])
                keys = m.get("test_keys") or {}
                problems += key_problems(s["keys"], keys)
                v = keys.get("x_verdict") or {}
                flags = sorted(v.get("flags") or [])
                if s["status"] != "*" and v.get("status") != s["status"]:
                    problems.append(f"x_verdict status {v.get('status')}, expected {s['status']}")
                if s["method"] != "*" and v.get("method") != s["method"]:
                    problems.append(f"x_verdict method {v.get('method')}, expected {s['method']}")
                problems += flag_problems(s["flags"], flags)
                got = f"{v.get('status')} {v.get('method') or '-'} {','.join(flags) or '-'}"
            out.write(f"{s['name']}\t{got.replace(' ', chr(9))}\n")
            if problems:
                failed += 1
                print(f"FAIL  {s['name']:<22} {s['test']:<17} {got}")
                for p in problems:
                    print(f"      - {p}")
                print(f"      resolver: {s['resolver']}")
                print(f"      censor: {s['what']}")
                if m is not None:
                    print(f"      probe:  {(m.get('test_keys') or {}).get('x_verdict', {}).get('explanation')}")
            else:
                print(f"pass  {s['name']:<22} {s['test']:<17} {got}")
    print(f"{len(rows) - failed} of {len(rows)} dns scenarios as expected (x_verdict, test_keys, the schema)")
    return 1 if failed else 0


# PLANNED (issue 31): how the agent names what survives a whitelist shutdown. Change these only.
PORTS_TEST_NAME = "portfiltering"            # the record's test_name
PORTS_METRIC = "blockwatch_channel_open"      # PORTS_METRIC{channel="tcp/3785"} 1 while it passes, 0 when cut
PORTS_STATUS = "still open: {}"               # in `blockwatch status`: the open channels, ", "-separated, as OPEN orders them


def ports(all_channels, open_channels, metrics_path, status_path=None, store_path=None):
    """What survives: the channels' metrics, and with a status and a store, the status line and the
    last record of the port filtering test (some list in its test_keys names exactly OPEN)."""
    channels, survivors = all_channels.split(), open_channels.split()
    data = samples(metrics_path)
    failed = 0

    def check(ok, what):
        nonlocal failed
        print(("pass  " if ok else "FAIL  ") + what)
        failed += 0 if ok else 1

    for c in channels:
        values = [v for n, l, v in data if n == PORTS_METRIC and l.get("channel") == c]
        expected = 1.0 if c in survivors else 0.0
        check(values == [expected], f'{PORTS_METRIC}{{channel="{c}"}} {f"{values[0]:g}" if len(values) == 1 else values or "absent"}, expected {expected:g}')
    if status_path:
        with open(status_path, encoding="utf-8") as f:
            status = f.read()
        line = PORTS_STATUS.format(", ".join(survivors))
        check(line in status, f"blockwatch status says '{line}'")
    if store_path:
        import sqlite3
        docs = [json.loads(j) for (j,) in sqlite3.connect(store_path).execute("SELECT json FROM measurements ORDER BY id")]
        docs = [d for d in docs if d.get("test_name") == PORTS_TEST_NAME]

        def lists(value):
            if isinstance(value, list):
                yield value
                for v in value:
                    yield from lists(v)
            elif isinstance(value, dict):
                for v in value.values():
                    yield from lists(v)

        last = docs[-1] if docs else None
        named = last is not None and any(
            all(isinstance(x, str) for x in l) and sorted(l) == sorted(survivors) for l in lists(last.get("test_keys")))
        check(named, f"the last {PORTS_TEST_NAME} record ({len(docs)} stored) names exactly {', '.join(survivors)} in its test_keys")
    return 1 if failed else 0


def sni_follow_up(doc):
    """The follow-up after a failed handshake in a record: its probes (x_sni_probes with follow_up
    tls_failure, wherever in test_keys), how many connections of the measurement's own went to
    the address they probed (tcp_connect entries there, the probes' transactions left out), and
    how many probes the throttling follow-up made (after a slow exchange)."""
    probes, connects, slow = [], [], []

    def walk(value, key=None):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            if key == "x_sni_probes":
                probes.extend(p for p in value if isinstance(p, dict) and p.get("follow_up") == "tls_failure")
                slow.extend(p for p in value if isinstance(p, dict) and p.get("follow_up") == "throttling")
            elif key == "tcp_connect":
                connects.extend(c for c in value if isinstance(c, dict))
            for v in value:
                walk(v)

    walk(doc.get("test_keys") or {})
    addresses = {p.get("address") for p in probes}
    ids = {p.get("transaction_id") for p in probes}
    own = sum(1 for c in connects if f"{c.get('ip')}:{c.get('port')}" in addresses and c.get("transaction_id") not in ids)
    return probes, own, slow


def dns_cost(rows_path, generations_path=None):
    """The benchmark of issue 31's measurements: per row of the plan, the median over the
    repetitions of each figure; the SNI follow-up's bytes, connections and seconds where the
    record has one (x_sni_probes, follow_up tls_failure; without one, a later connection to an
    address is the measurement's own: a DoH resolver's second, say), and what each costs over
    its baseline."""
    with open(rows_path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    generations = {}
    if generations_path:
        with open(generations_path, encoding="utf-8") as f:
            generations = {r["generation"]: int(r["bytes"]) for r in csv.DictReader(f, delimiter="\t")}
    median = lambda values: sorted(values)[len(values) // 2]
    kib = lambda n: f"{n / 1024:,.1f}"
    byte_keys = ("dns", "control", "resolver", "helper", "site", "later", "third")
    span = lambda probes: (max(p["t"] for p in probes) - min(p["t0"] for p in probes)) if probes else 0.0
    runs = {}
    for r in rows:
        docs, problems = read_documents(r["record"])
        doc = docs[0] if docs and not problems else {}
        probes, own, slow = sni_follow_up(doc)
        figures = {k: int(r[k]) for k in byte_keys + ("conns", "later_conns", "third_conns")}
        # "later" and "third" are parts of their peer's bytes (a follow-up's, of the site's or the resolver's).
        during = sum(figures[k] for k in byte_keys if k not in ("later", "third"))
        # After the process exited: its flows' packets still on the link (a ClientHello sent again).
        figures["after"] = max(0, generations[r["generation"]] - during) if r["generation"] in generations else 0
        figures["wire"] = during + figures["after"]
        figures["slow"] = len(slow)
        # A page's throttling follow-up (its third connection to the address on), set off by a cold
        # JVM's slow first handshake: left out, the measurement is the one a warm agent makes.
        figures["slow_bytes"] = figures["third"] if slow and not probes else 0
        figures["slow_s"] = span(slow)
        figures["clean_wire"] = figures["wire"] - figures["slow_bytes"]
        figures["cpu"] = float(r["cpu_seconds"])
        figures["wall"] = float(r["wall_seconds"])
        figures["clean_wall"] = figures["wall"] - figures["slow_s"]
        figures["clean_conns"] = figures["conns"] - (figures["third_conns"] if slow and not probes else 0)
        figures["probes"] = len(probes)
        figures["follow_up_s"] = span(probes)
        figures["own"] = own
        v = (doc.get("test_keys") or {}).get("x_verdict") or {}
        figures["verdict"] = f"{v.get('status', '?')} {v.get('method') or ''}".strip()
        runs.setdefault((r["section"], r["name"]), []).append(figures)
    by = {}
    for key, rs in runs.items():
        m = {k: median([x[k] for x in rs]) for k in rs[0] if k != "verdict"}
        verdicts = list(dict.fromkeys(x["verdict"] for x in rs))
        m["verdict"] = " / ".join(verdicts)
        m["n"] = len(rs)
        by[key] = m
    n = max((m["n"] for m in by.values()), default=0)
    section = lambda s: [(name, m) for (sec, name), m in by.items() if sec == s]
    times = lambda m: f"{m['conns']} | {m['cpu']:.2f} | {m['wall']:.2f}"
    print(f"`blockwatch measure --json` in bwlab-client, the median of {n}: KiB on the client's link (IP packets both "
          "ways, headers included), new TCP connections, CPU seconds (user + system, the JVM's start included) and wall seconds.")
    print()
    print("dnscheck, per protocol (`measure dnscheck`, tests.dnscheck.resolvers: [URL]; the helper's control included):")
    print()
    print("| resolver | verdict | resolver abroad | of which a follow-up | system resolver | control | after exit | wire | TCP conns | CPU s | wall s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, m in section("dnscheck"):
        print(f"| {name} | {m['verdict']} | {kib(m['resolver'])} | {kib(m['later']) if m['probes'] else '-'} | {kib(m['dns'])} | "
              f"{kib(m['control'])} | {kib(m['after'])} | {kib(m['wire'])} | {times(m)} |")
    print()
    print("The server-name attribution after a failed handshake (x_sni_probes, follow_up tls_failure), against "
          "open.test (no extra resolver):")
    print()
    print("| site | verdict | site | of which the follow-up | of which a throttling follow-up | system resolver | control | after exit "
          "| wire | TCP conns | CPU s | wall s | follow-up: conns | follow-up: s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    sni = section("sni")
    for name, m in sni:
        site = m["site"]
        follow = f"{m['later_conns']} | {m['follow_up_s']:.2f}" if m["probes"] else "- | -"
        print(f"| {name} | {m['verdict']} | {kib(site)} | {kib(m['later']) if m['probes'] else '-'} | "
              f"{kib(m['slow_bytes']) if m['slow_bytes'] else '-'} | {kib(m['dns'])} | "
              f"{kib(m['control'])} | {kib(m['after'])} | {kib(m['wire'])} | {times(m)} | {follow} |")
    inexact = [(name, m["own"]) for name, m in sni + section("dnscheck") if m["probes"] and m["own"] != 1]
    for name, own in inexact:
        print(f"\n{name}: {own} connections of the measurement's own to the probed address, not 1: the follow-up's "
              "bytes and connections are counted from its second connection there, so they are not exact.")
    if sni:
        base = sni[0][1]
        print()
        if base["slow_bytes"]:
            print(f"{sni[0][0]} without its throttling follow-up (set off by a slow first handshake, the median's "
                  f"{kib(base['slow_bytes'])} KiB and {base['slow_s']:.2f} s): {kib(base['clean_wire'])} KiB on the wire, "
                  f"{base['clean_wall']:.2f} s of wall time; the comparisons below are with that.")
            print()
        for name, m in sni[1:]:
            print(f"- {name} over {sni[0][0]}: {(m['clean_wire'] - base['clean_wire']) / 1024:+,.1f} KiB on the wire "
                  f"({kib(m['later'])} KiB in the follow-up's {m['later_conns']} connections), "
                  f"{m['cpu'] - base['cpu']:+.2f} CPU s, {m['clean_wall'] - base['clean_wall']:+.2f} s of wall time "
                  f"({m['follow_up_s']:.2f} s in the follow-up)")
    ports = section("ports") + section("ports-whitelist")
    if ports:
        print()
        print("portfiltering against the lab's helper (`measure portfilter://HOST`; 9 TCP ports, UDP 53 and 443):")
        print()
        print("| channels | verdict | helper | after exit | wire | TCP conns | CPU s | wall s |")
        print("|---|---|---|---|---|---|---|---|")
        for name, m in ports:
            print(f"| {name} | {m['verdict']} | {kib(m['helper'])} | {kib(m['after'])} | {kib(m['wire'])} | {times(m)} |")
    extra = section("extra")
    if extra and sni:
        print()
        print("The extra resolver of a web measurement (open.test):")
        print()
        print("| measurement.extra_resolvers | resolver abroad | system resolver | control | site | of which a throttling follow-up "
              "| wire | wire without it | TCP conns | CPU s | wall s |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        base = sni[0][1]
        for label, m in [("[] (none)", base)] + [(name.split("extra resolver ", 1)[-1], m) for name, m in extra]:
            print(f"| {label} | {kib(m['resolver'])} | {kib(m['dns'])} | {kib(m['control'])} | {kib(m['site'])} | "
                  f"{kib(m['slow_bytes']) if m['slow_bytes'] else '-'} | {kib(m['wire'])} | {kib(m['clean_wire'])} | {times(m)} |")
        for name, m in extra:
            print()
            print(f"- the extra resolver costs {(m['clean_wire'] - base['clean_wire']) / 1024:+,.1f} KiB on the wire (throttling "
                  f"follow-ups left out), {kib(m['resolver'])} KiB of them with the resolver and "
                  f"{kib(m['dns'] - base['dns'])} KiB resolving its name; {m['clean_conns'] - base['clean_conns']:+d} TCP connections, "
                  f"{m['cpu'] - base['cpu']:+.2f} CPU s and {m['clean_wall'] - base['clean_wall']:+.2f} s of wall time")
    slow = [(sec, name, sum(1 for x in rs if x["slow"]), len(rs)) for (sec, name), rs in runs.items() if any(x["slow"] for x in rs)]
    if slow:
        print()
        print("The throttling follow-up (x_sni_probes, follow_up throttling: three fetches after a handshake slower than "
              "0.25 s, as a cold JVM's first can be) ran in:")
        for sec, name, k, total in slow:
            print(f"- {sec}, {name}: {k} of {total} repetitions")
    spread = [(key, [x["wire"] for x in runs[key]]) for key in runs]
    spread = [(key, w) for key, w in spread if max(w) > 1.2 * min(w) and max(w) - min(w) > 2048]
    if spread:
        print()
        print("On the wire, repetitions more than 20% apart:")
        for (sec, name), w in spread:
            print(f"- {sec}, {name}: " + ", ".join(kib(x) for x in w) + " KiB")
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == "firing":
        return firing(argv[2], argv[3])
    if len(argv) == 5 and argv[1] == "push":
        return push(argv[2], argv[3], argv[4])
    if len(argv) == 3 and argv[1] == "count":
        return count(argv[2])
    if len(argv) >= 6 and argv[1] == "fleet":
        return fleet(argv[2], argv[3], argv[4], argv[5:])
    if len(argv) == 3 and argv[1] == "location":
        return location(argv[2])
    if len(argv) == 3 and argv[1] == "dump":
        return dump(argv[2])
    if len(argv) == 5 and argv[1] == "measure":
        return measure(argv[2], argv[3], argv[4])
    if len(argv) == 6 and argv[1] == "apps":
        return apps(argv[2], argv[3], argv[4], argv[5])
    if len(argv) == 6 and argv[1] == "dns":
        return dns(argv[2], argv[3], argv[4], argv[5])
    if len(argv) in (5, 7) and argv[1] == "ports":
        return ports(*argv[2:])
    if len(argv) == 3 and argv[1] == "bandwidth":
        return bandwidth(argv[2])
    if len(argv) == 3 and argv[1] == "apps-cost":
        return apps_cost(argv[2])
    if len(argv) in (3, 4) and argv[1] == "dns-cost":
        return dns_cost(*argv[2:])
    if len(argv) == 5 and argv[1] == "metrics":
        return metrics(argv[2], argv[3], int(argv[4]))
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
