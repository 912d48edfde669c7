"""The production setup a load benchmark drives: gunicorn serving local4action.wsgi with
DEBUG off, hashed and compressed static files collected beforehand (whitenoise), its own
Redis for the cache, sessions and tasks when redis-server is installed; stopped on exit,
also on error or Ctrl-C."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import loadgen

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


class production_server:
    """gunicorn serving local4action.wsgi with deploy/gunicorn.conf.py and the production
    settings, and with its own Redis (cache, sessions, task queue) and a task worker when
    redis-server is installed; stopped on exit, also on error or Ctrl-C."""

    def __init__(self, args):
        self.args = args
        self.processes = []
        self.folder = Path(tempfile.mkdtemp(prefix="local4action-bench-portal-"))

    def __enter__(self) -> int:
        try:
            return self._start()
        except BaseException:
            self.__exit__(None, None, None)
            raise

    def _start(self) -> int:
        env = {
            **os.environ,
            "DEBUG": "0",
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "CONN_MAX_AGE": "600",
            "STATIC_MANIFEST": "1",
            "STATIC_ROOT": str(self.folder / "static"),
            "LOG_LEVEL": "ERROR",
        }
        env.pop("REDIS_URL", None)
        redis_port = self.args.port + 1
        if shutil.which("redis-server"):
            self._spawn(
                ["redis-server", "--port", str(redis_port), "--bind", HOST, "--save", ""]
                + ["--appendonly", "no", "--dir", str(self.folder)],
                "redis.log",
                env,
            )
            env["REDIS_URL"] = f"redis://{HOST}:{redis_port}/0"
            self.redis_port = redis_port
        else:
            self.redis_port = None
        # Production serves hashed, compressed static files collected beforehand.
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        # The production configuration (deploy/gunicorn.conf.py), sized by the benchmark.
        env.update(
            BIND=f"{HOST}:{self.args.port}",
            WEB_CONCURRENCY=str(self.args.workers),
            GUNICORN_THREADS=str(self.args.threads),
            GUNICORN_LOG_LEVEL="warning",
            WHITENOISE_USE_FINDERS="0",
            # The whole load comes from one address: the API's per-address limit would
            # answer 429 to nearly all of it.
            API_REQUESTS_PER_MINUTE="100000000",
        )
        gunicorn = [
            str(Path(sys.executable).with_name("gunicorn")),
            "--config",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
        ]
        self._spawn(gunicorn, "gunicorn.log", env)
        if self.redis_port:  # a task worker (emails, notifications), as in production
            worker = [sys.executable, "manage.py", "rqworker", "default"]
            self._spawn(worker, "worker.log", env)
        deadline = time.monotonic() + 60
        while True:
            try:
                get(self.args.port, "/robots.txt")
                break
            except OSError:
                if time.monotonic() > deadline or self.gunicorn.poll() is not None:
                    log = (self.folder / "gunicorn.log").read_text()[-3000:]
                    raise RuntimeError(f"gunicorn did not answer:\n{log}") from None
                time.sleep(0.3)
        global SERVER
        SERVER = self
        print(
            f"server               gunicorn, {self.args.workers} workers × {self.args.threads} "
            f"threads, cache {'Redis' if self.redis_port else 'local memory'}, "
            f"load by {loadgen.engine()}, {self.args.clients} clients × {self.args.seconds:.0f} s"
        )
        return self.args.port

    @property
    def gunicorn(self) -> subprocess.Popen:
        return next(p for p in self.processes if "gunicorn" in " ".join(map(str, p.args)))

    def _spawn(self, command, log, env):
        handle = open(self.folder / log, "w")  # noqa: SIM115 — closed with the process
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT
        )
        process.log = handle
        self.processes.append(process)

    def flush_cache(self) -> None:
        if self.redis_port:
            subprocess.run(
                ["redis-cli", "-h", HOST, "-p", str(self.redis_port), "flushall"],
                check=True,
                capture_output=True,
            )

    def __exit__(self, *exc):
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            process.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)
        return False


SERVER: production_server | None = None


def get(port: int, path: str) -> bytes:
    """The answer as a browser gets it (compressed when the server compresses)."""
    request = urllib.request.Request(f"http://{HOST}:{port}{path}", headers=loadgen.BROWSER_HEADERS)
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read()
