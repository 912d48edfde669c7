"""gunicorn settings for production: `gunicorn -c deploy/gunicorn.conf.py local4action.wsgi`.

Read from the environment: BIND (default 127.0.0.1:8000), WEB_CONCURRENCY (worker processes,
default one per CPU core), GUNICORN_THREADS (threads per worker, default 4), ACCESS_LOG=1 (log
every request to stdout). scripts/production.sh starts gunicorn with this file.
"""

import os

wsgi_app = "local4action.wsgi:application"
proc_name = "local4action"

bind = os.environ.get("BIND", "127.0.0.1:8000")
backlog = 256

# Threads let one worker wait on the database for one request while it serves another.
workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 1)
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS") or 4)

# Behind nginx or a browser, keep connections open for the next request.
keepalive = 30
# Long requests (exports, imports) get a minute; on stop or reload, requests under way get 30 s.
timeout = 60
graceful_timeout = 30

# Recycle each worker after about 500,000 requests: bounds memory growth should a leak
# appear (bench/soak.py finds memory flat); the jitter keeps workers from restarting all at
# once. At 20,000 a worker restarted every 10–20 s under bench/load.py's load on a quiet
# machine, each restart a second of slow answers (home p95 415 ms against 42 ms).
max_requests = 500_000
max_requests_jitter = 50_000

accesslog = "-" if os.environ.get("ACCESS_LOG") == "1" else None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# gunicorn's control socket has one default path per user, which two app processes on one
# machine would share; they are managed with signals and pid files instead.
control_socket_disable = True
