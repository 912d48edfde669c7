"""Two app processes behind nginx: shows the app keeps no state in a process.

    .venv/bin/python bench/topology.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_other .venv/bin/python bench/topology.py

Starts `scripts/production.sh start --two` (nginx on 127.0.0.1:8000, gunicorn on :8001 and :8002)
against a database whose name contains "bench" (created if missing), then checks through nginx:

(a) requests are answered by both app processes (the X-Upstream header nginx adds);
(b) a session opened by logging in through one process is honoured by both;
(c) both processes use the one Redis cache (same REDIS_URL in their environment, keys in Redis);
(d) files uploaded through either process land in the one MEDIA_ROOT, which nginx serves.

Prints PASS/FAIL lines and stops everything at the end, also on error. Not a test: run by hand.
"""

import http.cookiejar
import os
import re
import secrets
import struct
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = "http://127.0.0.1:8000"
UPSTREAMS = {"127.0.0.1:8001", "127.0.0.1:8002"}
EMAIL = "topology@bench.test"
RESULTS: list[bool] = []


def check(name: str, ok: bool, detail: str = "") -> None:
    RESULTS.append(ok)
    print(f"{'PASS' if ok else 'FAIL'}  {name}" + (f"  ({detail})" if detail else ""), flush=True)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand 3xx answers back as they are: each request is one trip through nginx."""

    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect()
        )

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None):
        """(status, headers, body) of one request, without following redirects."""
        headers = {"Origin": BASE, "Referer": BASE + path, **(headers or {})}
        request = urllib.request.Request(BASE + path, data=data, headers=headers)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def form_token(self, path: str) -> str:
        status, _, body = self.request(path)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not match:
            raise RuntimeError(f"no CSRF token on {path} (HTTP {status})")
        return match.group(1).decode()


def png(seed: int) -> bytes:
    """A valid 1x1 PNG whose colour depends on seed, so each upload has its own content."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    pixel = bytes([0, seed % 256, (seed // 256) % 256, 128])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(pixel))
        + chunk(b"IEND", b"")
    )


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]):
    boundary = "----topology" + secrets.token_hex(8)
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, (filename, content, kind) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def manage_shell(env: dict, code: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def user_create(env: dict, password: str) -> None:
    """A person with a confirmed address (allauth's email verification is mandatory)."""
    manage_shell(
        env,
        "from allauth.account.models import EmailAddress\n"
        "from local4action.accounts.models import User\n"
        f"user = User.objects.filter(email={EMAIL!r}).first()"
        f" or User.objects.create_user({EMAIL!r})\n"
        f"user.set_password({password!r}); user.is_active = True; user.save()\n"
        "EmailAddress.objects.update_or_create(user=user, email=user.email,"
        " defaults={'verified': True, 'primary': True})\n",
    )


def check_spread(browser: Browser) -> None:
    seen = []
    for _ in range(20):
        status, headers, _ = browser.request("/robots.txt")
        seen.append(headers.get("X-Upstream") if status == 200 else f"HTTP {status}")
    counts = {upstream: seen.count(upstream) for upstream in sorted(set(seen))}
    check(
        "(a) 20 requests to /robots.txt answered by both upstreams",
        set(seen) == UPSTREAMS,
        str(counts),
    )


def check_session(browser: Browser, password: str) -> None:
    token = browser.form_token("/account/login/")
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "login": EMAIL, "password": password}
    ).encode()
    status, headers, _ = browser.request("/account/login/", body)
    location = headers.get("Location", "")
    check(
        "(b) log in through nginx",
        status == 302 and location.endswith("/profile/"),
        f"HTTP {status} to {location or '-'}, by {headers.get('X-Upstream')}",
    )
    served = []
    for _ in range(10):
        status, headers, body = browser.request("/profile/")
        served.append((headers.get("X-Upstream"), status == 200 and EMAIL.encode() in body))
    logged_in = {upstream for upstream, ok in served if ok}
    check(
        "(b) /profile/ served logged in, 10 times, by both upstreams",
        all(ok for _, ok in served) and logged_in == UPSTREAMS,
        f"{sum(ok for _, ok in served)}/10 logged in, by {sorted(logged_in)}",
    )


def check_cache(env: dict, run_dir: Path, browser: Browser) -> None:
    urls = []
    for name in ("web1", "web2"):
        pid = (run_dir / f"{name}.pid").read_text().strip()
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        values = [
            item.split(b"=", 1)[1].decode() for item in environ if item.startswith(b"REDIS_URL=")
        ]
        urls.append(values[0] if values else None)
    check(
        "(c) both app processes have the same REDIS_URL",
        urls[0] is not None and urls[0] == urls[1],
        f"{urls[0]} / {urls[1]}",
    )
    # The initiative list caches its facet counts: after pages by both processes, keys are there.
    for _ in range(4):
        browser.request("/initiatives/")
    keys = subprocess.run(
        ["redis-cli", "-u", env["REDIS_URL"], "--scan", "--pattern", "l4a:*"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    check("(c) the cache is in that Redis", len(keys) > 0, f"{len(keys)} keys l4a:*")


def check_uploads(browser: Browser, run_dir: Path) -> None:
    media = run_dir / "media"
    uploads = {}  # upstream -> (file name, content)
    failures = []
    for attempt in range(8):
        if set(uploads) == UPSTREAMS:
            break
        if attempt % 2:
            # The form and the upload take one turn each: shift the turn so the upload moves.
            browser.request("/robots.txt")
        token = browser.form_token("/organizations/new/")
        name = f"topology-{secrets.token_hex(4)}.png"
        content = png(attempt + secrets.randbelow(60000))
        body, headers = multipart(
            {
                "csrfmiddlewaretoken": token,
                "name": f"Topology bench {name}",
                "kind": "local_government",
                "country": "ES",
            },
            {"logo": (name, content, "image/png")},
        )
        status, answer, _ = browser.request("/organizations/new/", body, headers)
        if status == 302:
            uploads.setdefault(answer.get("X-Upstream"), (name, content))
        else:
            failures.append(f"HTTP {status} by {answer.get('X-Upstream')}")
    on_disk = {
        upstream: (media / "organizations" / "logos" / name).read_bytes() == content
        if (media / "organizations" / "logos" / name).exists()
        else False
        for upstream, (name, content) in uploads.items()
    }
    check(
        "(d) uploads through both upstreams land in the one MEDIA_ROOT",
        set(uploads) == UPSTREAMS and all(on_disk.values()),
        f"{media}/organizations/logos/: "
        + ", ".join(f"{uploads[u][0]} by {u}" for u in sorted(uploads))
        + (f"; failed: {', '.join(failures)}" if failures else ""),
    )
    served = [
        browser.request(f"/media/organizations/logos/{name}")[2] == content
        for name, content in uploads.values()
    ]
    check("(d) nginx serves them under /media/", bool(served) and all(served))


def main() -> int:
    database_url = os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_topology"
    )
    database = urllib.parse.urlsplit(database_url).path.lstrip("/")
    if not database_url.startswith("postgres") or "bench" not in database:
        print(f"Refusing DATABASE_URL {database_url}: a PostgreSQL database named *bench*")
        return 2
    run_dir = Path(os.environ.get("RUN_DIR", "/tmp/local4action-bench-topology"))
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "RUN_DIR": str(run_dir),
    }
    script = str(ROOT / "scripts" / "production.sh")
    try:
        subprocess.run([script, "start", "--two"], cwd=ROOT, env=env, check=True)
        print()
        password = secrets.token_urlsafe(16)
        # The same settings as the app processes: the database, and the secret key start wrote.
        shell_env = {**env, "DEBUG": "0", "SECRET_KEY": (run_dir / "secret_key").read_text()}
        user_create(shell_env, password)
        browser = Browser()
        check_spread(browser)
        check_session(browser, password)
        check_cache(env, run_dir, browser)
        check_uploads(browser, run_dir)
    except Exception as error:  # noqa: BLE001 — reported as a failure, then everything stops
        check("run", False, f"{type(error).__name__}: {error}")
    finally:
        print()
        subprocess.run([script, "stop"], cwd=ROOT, env=env, check=False)
    passed = all(RESULTS) and bool(RESULTS)
    print(f"\n{'PASS' if passed else 'FAIL'}  {sum(RESULTS)}/{len(RESULTS)} checks")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
