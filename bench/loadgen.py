"""Closed-loop HTTP load against a server on this machine: `wrk` when installed, else Python
threads with keep-alive connections (http.client). Both send the given requests (paths to
GET, or `Request`s with a method, headers and a body) in rotation from N concurrent clients
for a fixed time, and report requests/s, latency percentiles, errors (connection failures
and answers of 400 and above) and bytes. Only loopback addresses are accepted: this is for
benchmarking our own server."""

import http.client
import ipaddress
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

# What a browser sends: compressed answers are welcome, English is preferred.
BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate", "Accept-Language": "en"}


class Request(NamedTuple):
    method: str
    path: str
    headers: dict
    body: str | None = None


def as_request(item) -> Request:
    """A path to GET, or a Request; the browser's headers added to either."""
    if isinstance(item, str):
        return Request("GET", item, dict(BROWSER_HEADERS))
    return item._replace(headers={**BROWSER_HEADERS, **item.headers})


WRK_SCRIPT = """
local requests = {%(requests)s}
local counter = 0
local threads_made = 0
-- The threads take turns through the list (thread k sends k, k + T, k + 2T...): no request
-- is sent twice before the list is done, which registrations and answers need.
setup = function(thread)
  threads_made = threads_made + 1
  thread:set("offset", threads_made)
end
init = function(args)
  counter = (offset or 1) - 1 - %(threads)d
end
request = function()
  counter = counter + %(threads)d
  local r = requests[(counter %% #requests) + 1]
  local headers = {}
  for k, v in pairs(r[3]) do headers[k] = v end
  return wrk.format(r[1], r[2], headers, r[4])
end
done = function(summary, latency, requests)
  io.write(string.format(
    "RESULT %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d\\n",
    summary.requests, summary.duration, summary.bytes,
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def _check_loopback(host: str) -> None:
    address = "127.0.0.1" if host == "localhost" else host
    if not ipaddress.ip_address(address).is_loopback:
        raise ValueError(f"Refusing to load {host}: only loopback addresses are benchmarked.")


def engine() -> str:
    return "wrk" if shutil.which("wrk") else "python"


def run(host: str, port: int, requests: list, *, clients: int, seconds: float) -> dict:
    """Load `requests` (paths or Requests, rotating) with `clients` connections for
    `seconds`; a dict of results (latencies in ms)."""
    _check_loopback(host)
    prepared = [as_request(item) for item in requests]
    if engine() == "wrk":
        return _run_wrk(host, port, prepared, clients=clients, seconds=seconds)
    return _run_python(host, port, prepared, clients=clients, seconds=seconds)


def _lua(text: str | None) -> str:
    if text is None:
        return "nil"
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _run_wrk(host, port, requests: list[Request], *, clients, seconds) -> dict:
    threads = 2
    rows = []
    for r in requests:
        headers = ", ".join(f"[{_lua(k)}] = {_lua(v)}" for k, v in r.headers.items())
        rows.append(f"{{{_lua(r.method)}, {_lua(r.path)}, {{{headers}}}, {_lua(r.body)}}}")
    # Each wrk thread has its own Lua state: the setup hook numbers them so they start apart.
    script = WRK_SCRIPT % {"requests": ",\n".join(rows), "threads": threads}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
        lua = handle.name
    try:
        completed = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{clients}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "30s",
                "-s",
                lua,
                f"http://{host}:{port}{requests[0].path}",
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 60,
        )
    finally:
        Path(lua).unlink(missing_ok=True)
    line = next(x for x in completed.stdout.splitlines() if x.startswith("RESULT "))
    numbers = [int(float(x)) for x in line.split()[1:]]
    requests, duration_us, size, connect, read, write, status, timeout = numbers[:8]
    p50, p95, p99, worst = (n / 1000 for n in numbers[8:])
    return {
        "engine": "wrk",
        "requests": requests,
        "seconds": duration_us / 1e6,
        "rps": requests / (duration_us / 1e6),
        "p50": p50,
        "p95": p95,
        "p99": p99,
        "max": worst,
        "errors": connect + read + write + status + timeout,
        "bytes": size,
    }


def _run_python(host, port, requests: list[Request], *, clients, seconds) -> dict:
    latencies: list[float] = []
    errors = [0]
    sizes = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(number: int) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=30)
        mine, bad, size, index = [], 0, 0, number
        while time.perf_counter() < deadline:
            r = requests[index % len(requests)]
            index += clients  # the clients take turns through the list, as wrk's threads
            begin = time.perf_counter()
            try:
                connection.request(r.method, r.path, body=r.body, headers=r.headers)
                response = connection.getresponse()
                body = response.read()
                if response.status >= 400:
                    bad += 1
                size += len(body)
            except (OSError, http.client.HTTPException):
                bad += 1
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=30)
            mine.append((time.perf_counter() - begin) * 1000)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad
            sizes[0] += size

    started = time.perf_counter()
    workers = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    latencies.sort()

    def percentile(fraction: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * fraction))]

    return {
        "engine": "python",
        "requests": len(latencies),
        "seconds": elapsed,
        "rps": len(latencies) / elapsed,
        "p50": percentile(0.50),
        "p95": percentile(0.95),
        "p99": percentile(0.99),
        "max": latencies[-1],
        "errors": errors[0],
        "bytes": sizes[0],
    }
