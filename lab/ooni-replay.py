#!/usr/bin/env python3
"""OONI Web Connectivity's network actions for one URL, replayed, for `lab/run --bandwidth`.

OONI Probe itself cannot be built here (its Go modules are not reachable), so this does on the
wire what its Web Connectivity (probe-cli, internal/experiment/webconnectivitylte, read at commit
7cb2241) does for one URL with its defaults, and writes the report it would upload:

- per host: the system resolver (getaddrinfo: A and AAAA) and a UDP resolver (A and AAAA);
- the test helper's request (the addresses on 443 and 80, or on the URL's own port), POSTed as JSON;
- per address: TCP connect, and a TLS handshake for https; an http URL gets a TCP connect on 80 and
  a connect and handshake on 443 per address;
- a GET on the first connection that worked, reading at most 512 KiB of body (`maxbody = 1 << 19`
  in cleartextflow.go and secureflow.go); a redirect is followed, at most 10 times;
- the report: OONI's JSON with its queries, connects, handshakes (the chain as received), the request
  with its body, the control request and response.

It is a lower bound of OONI's bytes: it leaves out what OONI does besides, which would only add
(opportunistic DNS over HTTPS every 20 to 40 s, the resolver "whoami" lookups, the measurements of
addresses that only the test helper found, the network events and the session's check-in with
OONI's backend). Prints one JSON object: the report's size in bytes and the report itself.
"""
import argparse
import base64
import json
import os
import random
import socket
import ssl
import struct
import sys
import time
import urllib.parse

MAX_BODY = 1 << 19
MAX_REDIRECTS = 10
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ACCEPT_LANGUAGE = "en-US,en;q=0.9"
USER_AGENT = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
              "(KHTML, like Gecko) Version/17.10 Safari/605.1.1")


class Replay:
    def __init__(self, resolver, control, ca, timeout):
        self.resolver, self.control, self.timeout = resolver, control, timeout
        self.context = ssl.create_default_context(cafile=ca)
        self.context.set_alpn_protocols(["http/1.1"])
        self.queries, self.connects, self.handshakes, self.requests = [], [], [], []
        self.transaction = 0

    def next_id(self):
        self.transaction += 1
        return self.transaction

    # --- DNS -----------------------------------------------------------------------------------

    def resolve(self, host):
        addresses, failure = [], None
        try:
            infos = socket.getaddrinfo(host, None, socket.AF_UNSPEC, socket.SOCK_STREAM)
            addresses = sorted({info[4][0] for info in infos})
        except socket.gaierror as e:
            failure = "dns_nxdomain_error" if e.errno == socket.EAI_NONAME else "dns_server_misbehaving"
        self.queries.append(self.query_record("getaddrinfo", host, "ANY", addresses, failure, ""))
        for qtype, code in (("A", 1), ("AAAA", 28)):
            answers, failure = self.udp_query(host, code)
            self.queries.append(self.query_record("udp", host, qtype, answers, failure, f"{self.resolver}:53"))
        return addresses

    def udp_query(self, host, qtype):
        ident = random.getrandbits(16)
        qname = b"".join(bytes([len(label)]) + label.encode("ascii") for label in host.split(".")) + b"\0"
        message = struct.pack(">HHHHHH", ident, 0x0100, 1, 0, 0, 0) + qname + struct.pack(">HH", qtype, 1)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(self.timeout)
            try:
                s.sendto(message, (self.resolver, 53))
                reply = s.recv(4096)
            except OSError:
                return [], "generic_timeout_error"
        return parse_answers(reply, qtype), None

    def query_record(self, engine, host, qtype, answers, failure, resolver):
        return {"answers": [{"answer_type": "AAAA" if ":" in a else "A", ("ipv6" if ":" in a else "ipv4"): a, "ttl": None}
                            for a in answers] or None,
                "engine": engine, "failure": failure, "hostname": host, "query_type": qtype,
                "resolver_hostname": None, "resolver_port": None, "resolver_address": resolver,
                "t": self.elapsed(), "tags": ["depth=0"], "transaction_id": self.next_id()}

    # --- TCP, TLS, HTTP --------------------------------------------------------------------------

    def connect(self, address, port, tid):
        s = socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(self.timeout)
        failure = None
        try:
            s.connect((address, port))
        except OSError as e:
            failure = failure_of(e)
            s.close()
            s = None
        self.connects.append({"ip": address, "port": port, "status": {"failure": failure, "success": failure is None},
                              "t": self.elapsed(), "tags": ["classic"], "transaction_id": tid})
        return s

    def handshake(self, s, address, port, host, tid):
        record = {"network": "tcp", "address": f"{address}:{port}", "failure": None, "server_name": host,
                  "no_tls_verify": False, "peer_certificates": None, "t": self.elapsed(), "tags": ["classic"],
                  "transaction_id": tid}
        try:
            tls = self.context.wrap_socket(s, server_hostname=host)
        except (OSError, ssl.SSLError) as e:
            record["failure"] = failure_of(e)
            self.handshakes.append(record)
            s.close()
            return None
        chain = tls._sslobj.get_unverified_chain() or []
        record.update({"cipher_suite": tls.cipher()[0], "negotiated_protocol": tls.selected_alpn_protocol() or "",
                       "tls_version": tls.version(),
                       "peer_certificates": [{"format": "base64", "data": base64.b64encode(c.public_bytes(ssl._ssl.ENCODING_DER)).decode()}
                                             for c in chain]})
        self.handshakes.append(record)
        return tls

    def get(self, s, url, address, tid):
        path = url.path or "/"
        if url.query:
            path += "?" + url.query
        headers = [("Accept", ACCEPT), ("Accept-Language", ACCEPT_LANGUAGE), ("Host", url.netloc), ("User-Agent", USER_AGENT)]
        head = f"GET {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "Connection: close\r\n\r\n"
        record = {"network": "tcp", "address": f"{address}:{url.port or (443 if url.scheme == 'https' else 80)}",
                  "failure": None, "request": {"body": "", "body_is_truncated": False, "headers_list": [list(h) for h in headers],
                                               "headers": dict(headers), "method": "GET", "url": url.geturl()},
                  "response": None, "t": self.elapsed(), "tags": ["classic"], "transaction_id": tid}
        self.requests.append(record)
        data = b""
        try:
            s.sendall(head.encode("ascii"))
            while b"\r\n\r\n" not in data:
                chunk = s.recv(65536)
                if not chunk:
                    raise EOFError
                data += chunk
            raw_head, body = data.split(b"\r\n\r\n", 1)
            lines = raw_head.decode("iso-8859-1").split("\r\n")
            code = int(lines[0].split()[1])
            response_headers = [line.split(":", 1) for line in lines[1:] if ":" in line]
            response_headers = [[k.strip(), v.strip()] for k, v in response_headers]
            while len(body) < MAX_BODY:
                chunk = s.recv(65536)
                if not chunk:
                    break
                body += chunk
        except (OSError, EOFError, ValueError, IndexError) as e:
            record["failure"] = failure_of(e)
            return None
        finally:
            s.close()
        truncated = len(body) > MAX_BODY
        body = body[:MAX_BODY]
        try:
            recorded_body = body.decode("utf-8")
        except UnicodeDecodeError:
            recorded_body = {"format": "base64", "data": base64.b64encode(body).decode()}
        record["response"] = {"body": recorded_body, "body_is_truncated": truncated, "code": code,
                              "headers_list": response_headers, "headers": dict(response_headers)}
        location = next((v for k, v in response_headers if k.lower() == "location"), None)
        return urllib.parse.urljoin(url.geturl(), location) if 300 <= code < 400 and location else None

    # --- the test helper -------------------------------------------------------------------------

    def call_control(self, url, addresses):
        port = urllib.parse.urlsplit(url).port
        endpoints = []
        for a in addresses:
            host = f"[{a}]" if ":" in a else a
            endpoints += [f"{host}:{port}"] if port else [f"{host}:443", f"{host}:80"]
        request = {"http_request": url,
                   "http_request_headers": {"Accept": [ACCEPT], "Accept-Language": [ACCEPT_LANGUAGE], "User-Agent": [USER_AGENT]},
                   "tcp_connect": endpoints, "x_quic_enabled": False}
        body = json.dumps(request).encode()
        target = urllib.parse.urlsplit(self.control)
        try:
            with socket.create_connection((target.hostname, target.port or 80), timeout=30) as s:
                s.sendall((f"POST {target.path or '/'} HTTP/1.1\r\nHost: {target.netloc}\r\nUser-Agent: miniooni/0.1.0-dev\r\n"
                           f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body)
                reply = b""
                while chunk := s.recv(65536):
                    reply += chunk
            control = json.loads(reply.split(b"\r\n\r\n", 1)[1])
            return request, control, None
        except (OSError, ValueError, IndexError) as e:
            return request, None, failure_of(e)

    # --- one URL -------------------------------------------------------------------------------

    def measure(self, input_url):
        self.start = time.monotonic()
        started = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
        url = ascii_url(input_url)
        first = self.resolve(url.hostname)
        control_request, control, control_failure = self.call_control(url.geturl(), first)
        resolved = {url.hostname: first}
        for _ in range(MAX_REDIRECTS + 1):
            addresses = resolved.get(url.hostname)
            if addresses is None:
                addresses = resolved[url.hostname] = self.resolve(url.hostname)
            fetch_from = None
            port = url.port or (443 if url.scheme == "https" else 80)
            for a in addresses:
                tid = self.next_id()
                s = self.connect(a, port, tid)
                if s is not None and url.scheme == "https":
                    s = self.handshake(s, a, port, url.hostname, tid)
                if s is not None and fetch_from is None:
                    fetch_from = (s, a, tid)
                elif s is not None:
                    s.close()
                if url.scheme == "http" and url.port is None:
                    tid = self.next_id()
                    s = self.connect(a, 443, tid)
                    if s is not None:
                        s = self.handshake(s, a, 443, url.hostname, tid)
                    if s is not None:
                        s.close()
            if fetch_from is None:
                break
            location = self.get(fetch_from[0], url, fetch_from[1], fetch_from[2])
            if location is None:
                break
            url = ascii_url(location)
        return {"annotations": {"architecture": "amd64", "engine_name": "ooniprobe-engine", "platform": "linux"},
                "data_format_version": "0.2.0", "input": input_url, "measurement_start_time": started,
                "probe_asn": "AS0", "probe_cc": "ZZ", "probe_ip": "127.0.0.1", "probe_network_name": "",
                "report_id": "", "resolver_asn": "AS0", "resolver_ip": "127.0.0.2", "resolver_network_name": "",
                "software_name": "ooniprobe", "software_version": "3.24.0",
                "test_helpers": {"backend": {"address": self.control, "type": "https"}},
                "test_name": "web_connectivity", "test_runtime": self.elapsed(), "test_start_time": started,
                "test_version": "0.5.28",
                "test_keys": {"agent": "redirect", "client_resolver": "127.0.0.2", "retries": None, "socksproxy": None,
                              "network_events": None, "queries": self.queries, "requests": self.requests,
                              "tcp_connect": self.connects, "tls_handshakes": self.handshakes,
                              "x_control_request": control_request, "control": control, "control_failure": control_failure,
                              "dns_experiment_failure": None, "dns_consistency": None, "http_experiment_failure": None,
                              "body_length_match": None, "body_proportion": 0, "headers_match": None,
                              "status_code_match": None, "title_match": None, "blocking": None, "accessible": None}}

    def elapsed(self):
        return round(time.monotonic() - self.start, 6)


def ascii_url(text):
    """The URL with its host in IDNA form, as OONI sends it to the resolvers, in the SNI and the Host."""
    url = urllib.parse.urlsplit(text)
    host = url.hostname.encode("idna").decode("ascii")
    netloc = f"{host}:{url.port}" if url.port else host
    return url._replace(netloc=netloc)


def parse_answers(reply, qtype):
    """The addresses of type qtype in a DNS reply (compressed names are skipped, not followed)."""
    try:
        _, flags, qd, an, _, _ = struct.unpack(">HHHHHH", reply[:12])
        offset = 12
        for _ in range(qd):
            offset = skip_name(reply, offset) + 4
        out = []
        for _ in range(an):
            offset = skip_name(reply, offset)
            rtype, _, _, length = struct.unpack(">HHIH", reply[offset:offset + 10])
            offset += 10
            if rtype == qtype == 1 and length == 4:
                out.append(socket.inet_ntop(socket.AF_INET, reply[offset:offset + 4]))
            elif rtype == qtype == 28 and length == 16:
                out.append(socket.inet_ntop(socket.AF_INET6, reply[offset:offset + 16]))
            offset += length
        return out
    except (struct.error, IndexError, ValueError):
        return []


def skip_name(message, offset):
    while True:
        length = message[offset]
        if length == 0:
            return offset + 1
        if length & 0xC0 == 0xC0:
            return offset + 2
        offset += 1 + length


def failure_of(e):
    if isinstance(e, (socket.timeout, TimeoutError)):
        return "generic_timeout_error"
    if isinstance(e, ConnectionRefusedError):
        return "connection_refused"
    if isinstance(e, ConnectionResetError):
        return "connection_reset"
    if isinstance(e, (EOFError, ssl.SSLEOFError)):
        return "eof_error"
    if isinstance(e, ssl.SSLCertVerificationError):
        return "ssl_unknown_authority"
    if isinstance(e, ssl.SSLError):
        return "ssl_failed_handshake"
    return f"unknown_failure: {type(e).__name__}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resolver", required=True, help="the UDP resolver's address (OONI's default is a public one)")
    parser.add_argument("--control", required=True, help="the test helper's URL")
    parser.add_argument("--trust-ca", required=True, help="a PEM file of the roots to trust")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds per step (OONI's own are 10-15 s)")
    parser.add_argument("url")
    args = parser.parse_args()
    report = Replay(args.resolver, args.control, args.trust_ca, args.timeout).measure(args.url)
    content = json.dumps(report, ensure_ascii=False, separators=(",", ":"))
    upload = '{"format":"json","content":' + content + "}"
    json.dump({"url": args.url, "upload_bytes": len(upload.encode("utf-8"))}, sys.stdout)
    sys.stdout.write("\n")
    with open(os.environ.get("OONI_REPLAY_REPORT", os.devnull), "w", encoding="utf-8") as f:
        f.write(content + "\n")


if __name__ == "__main__":
    main()
