#!/usr/bin/env python3
"""Export benchmark: one million synthetic measurements, each format timed, peak memory measured.

  scripts/bench-export.py [N]      (default 1000000; needs about 0.5 GB of disk per million)

The store's schema comes from blockwatch itself (`blockwatch demo --store`); the rows are 200
targets on two networks, hourly, with state changes, and a 400-byte JSON body each. Prints, per
format, the wall time and the export process's peak resident memory.
"""
import os, random, resource, shutil, sqlite3, subprocess, sys, tempfile, time
from datetime import datetime, timedelta, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
work = tempfile.mkdtemp(prefix="blockwatch-bench-export.")
try:
    db = os.path.join(work, "bench.db")
    subprocess.run([os.path.join(ROOT, "blockwatch"), "demo", "--metrics-listen", "127.0.0.1:0", "--store", db],
                   check=True, stdout=subprocess.DEVNULL)
    con = sqlite3.connect(db)
    con.execute("DELETE FROM state_changes")
    con.execute("DELETE FROM measurements")
    rnd = random.Random(7)
    t0 = datetime(2025, 1, 1, tzinfo=timezone.utc)
    targets = [f"https://site{i:03d}.example/" for i in range(200)]
    body = '{"test_name":"web_connectivity","probe_asn":"%s","input":"%s","test_keys":{"x_verdict":{"status":"%s"}},"pad":"' + "x" * 300 + '"}'
    per_series = n // (len(targets) * 2)
    started = time.time()
    rows = []
    for asn in ("AS9198", "AS21299"):
        for t in targets:
            state = "accessible"
            for k in range(per_series):
                if rnd.random() < 0.01:
                    state = rnd.choice(["accessible", "blocked", "down", "inconclusive"])
                method = "tls" if state == "blocked" else None
                at = (t0 + timedelta(hours=k)).strftime("%Y-%m-%dT%H:%M:%SZ")
                rows.append((at, t, "NEWS", asn, "KZ", "bench", state, method, "", body % (asn, t, state)))
                if len(rows) >= 50_000:
                    con.executemany("INSERT INTO measurements (measured_at, target, category, probe_asn, probe_cc, network, status, method, flags, json)"
                                    " VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
                    rows.clear()
    if rows:
        con.executemany("INSERT INTO measurements (measured_at, target, category, probe_asn, probe_cc, network, status, method, flags, json)"
                        " VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
    con.commit()
    count = con.execute("SELECT COUNT(*) FROM measurements").fetchone()[0]
    con.close()
    print(f"store: {count} measurements, {os.path.getsize(db) / 1e6:.0f} MB, made in {time.time() - started:.0f} s")
    # Each export runs under a fresh child, so its peak memory is its own (not the demo's above).
    probe = ("import resource, subprocess, sys\n"
             "with open(sys.argv[1], 'wb') as f: subprocess.run(sys.argv[2:], check=True, stdout=f)\n"
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    for fmt in ("timeline-csv", "timeline-json", "html", "ooni-jsonl"):
        out = os.path.join(work, "out")
        start = time.time()
        r = subprocess.run([sys.executable, "-c", probe, out, os.path.join(ROOT, "blockwatch"), "export", "--db", db, "--format", fmt],
                           check=True, capture_output=True, text=True)
        took = time.time() - start
        print(f"{fmt:14s} {took:6.1f} s  output {os.path.getsize(out) / 1e6:7.1f} MB  peak RSS {int(r.stdout.split()[-1]) / 1024:.0f} MB")
finally:
    shutil.rmtree(work, ignore_errors=True)
