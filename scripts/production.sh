#!/usr/bin/env bash
# The production setup on this machine, in one command.
#
#   scripts/production.sh start          gunicorn on 127.0.0.1:8000 and a task worker
#   scripts/production.sh start --two    two gunicorns on :8001 and :8002, nginx on :8000 in front
#   scripts/production.sh stop           stops what start started (PostgreSQL and Redis keep running)
#   scripts/production.sh status         what runs, and whether http://127.0.0.1:8000 answers
#
# start makes sure PostgreSQL and Redis answer (starting them when they are local and down),
# creates the database if missing, migrates, collects static files, then starts the processes in
# the background. Pid files, logs, static and media files live in the run folder.
#
# Environment (defaults in brackets):
#   RUN_DIR          run folder [/tmp/local4action-production]
#   DATABASE_URL     [postgres://postgres@127.0.0.1:5432/local4action]
#   REDIS_URL        cache, sessions and task queue [redis://127.0.0.1:6379/0]
#   SECRET_KEY       [generated once into $RUN_DIR/secret_key]
#   ALLOWED_HOSTS    [127.0.0.1,localhost]
#   PORT             public port [8000]; with --two the gunicorns take PORT+1 and PORT+2
#   WEB_CONCURRENCY  gunicorn workers in all [one per CPU core]; --two gives each half
#   GUNICORN_THREADS threads per worker [4]
#   ACCESS_LOG=1     log every request (gunicorn and nginx)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY="$ROOT/.venv/bin/python"
GUNICORN="$ROOT/.venv/bin/gunicorn"

RUN_DIR="${RUN_DIR:-/tmp/local4action-production}"
PORT="${PORT:-8000}"
HOST=127.0.0.1

usage() {
  sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}

# Is the process in this pid file alive, and is it the program we started (not a reused pid)?
running() {
  local file="$RUN_DIR/$1.pid" name="$2" pid
  [ -s "$file" ] || return 1
  pid=$(cat "$file")
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$name"
}

# Stop one process by its pid file: SIGTERM (graceful), SIGKILL after 40 s.
stop_one() {
  local what="$1" name="$2" pid
  if running "$what" "$name"; then
    pid=$(cat "$RUN_DIR/$what.pid")
    kill -TERM "$pid"
    for _ in $(seq 1 80); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
    echo "stopped $what (pid $pid)"
  fi
  rm -f "$RUN_DIR/$what.pid"
}

# host and port of a URL such as postgres://user@host:5432/db
url_host() { "$PY" -c 'import sys, urllib.parse as u; print(u.urlsplit(sys.argv[1]).hostname or "")' "$1"; }
url_port() { "$PY" -c 'import sys, urllib.parse as u; print(u.urlsplit(sys.argv[1]).port or sys.argv[2])' "$1" "$2"; }
is_local() { [ "$1" = 127.0.0.1 ] || [ "$1" = localhost ] || [ -z "$1" ]; }

wait_for() {
  local what="$1"; shift
  for _ in $(seq 1 60); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "$what does not answer" >&2
  exit 1
}

ensure_postgres() {
  local host port
  host=$(url_host "$DATABASE_URL")
  port=$(url_port "$DATABASE_URL" 5432)
  if ! pg_isready -q -h "${host:-$HOST}" -p "$port" && is_local "$host"; then
    echo "Starting PostgreSQL"
    service postgresql start >/dev/null 2>&1 || true
    if ! pg_isready -q -h "${host:-$HOST}" -p "$port"; then
      # No service manager: start every cluster that is down.
      pg_lsclusters -h | while read -r version cluster _ status _; do
        [ "$status" = online ] || pg_ctlcluster "$version" "$cluster" start || true
      done
    fi
  fi
  wait_for "PostgreSQL on ${host:-$HOST}:$port" pg_isready -q -h "${host:-$HOST}" -p "$port"
}

ensure_redis() {
  local host port
  host=$(url_host "$REDIS_URL")
  port=$(url_port "$REDIS_URL" 6379)
  if ! redis-cli -h "${host:-$HOST}" -p "$port" ping >/dev/null 2>&1 && is_local "$host"; then
    echo "Starting redis-server on port $port"
    redis-server --daemonize yes --bind "$HOST" --port "$port" --dir "$RUN_DIR" \
      --logfile "$RUN_DIR/redis.log"
  fi
  wait_for "Redis on ${host:-$HOST}:$port" redis-cli -h "${host:-$HOST}" -p "$port" ping
}

# Connect to the server's "postgres" database with the same credentials; create ours if missing.
ensure_database() {
  "$PY" - "$DATABASE_URL" <<'PYTHON'
import sys
import urllib.parse

import psycopg
from psycopg import sql

url = urllib.parse.urlsplit(sys.argv[1])
name = urllib.parse.unquote(url.path.lstrip("/"))
maintenance = url._replace(path="/postgres").geturl()
with psycopg.connect(maintenance, autocommit=True) as connection:
    exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    if not exists:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"Created database {name}")
PYTHON
}

# Start a program in the background, detached from this shell, output appended to its log.
spawn() {
  local log="$1"; shift
  setsid nohup "$@" >>"$RUN_DIR/$log" 2>&1 </dev/null &
  SPAWNED=$!
}

start_gunicorn() {
  local name="$1" bind="$2" workers="$3" proxies="${4:-0}"
  spawn "$name.log" env BIND="$bind" WEB_CONCURRENCY="$workers" TRUSTED_PROXY_COUNT="$proxies" \
    "$GUNICORN" -c deploy/gunicorn.conf.py local4action.wsgi:application
  echo "$SPAWNED" >"$RUN_DIR/$name.pid"
}

# Wait until a URL answers; give up (and stop everything) if gunicorn $2 exits or after 60 s.
wait_for_web() {
  local url="$1" name="$2"
  for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then return 0; fi
    if ! running "$name" gunicorn; then
      echo "gunicorn $name exited; the end of $RUN_DIR/$name.log:" >&2
      tail -n 30 "$RUN_DIR/$name.log" >&2
      stop
      exit 1
    fi
    sleep 0.5
  done
  echo "$url does not answer; logs in $RUN_DIR" >&2
  stop
  exit 1
}

write_nginx_conf() {
  local user_line=""
  # nginx started by root would run its workers as "nobody", who cannot use the run folder.
  if [ "$(id -u)" -eq 0 ]; then user_line="user $(id -un) $(id -gn);"; fi
  local access_log="off"
  if [ "${ACCESS_LOG:-0}" = 1 ]; then access_log="$RUN_DIR/nginx-access.log"; fi
  mkdir -p "$RUN_DIR/nginx-temp"
  cat >"$RUN_DIR/nginx.conf" <<NGINX
# Generated by scripts/production.sh; rewritten at every start.
$user_line
worker_processes auto;
pid $RUN_DIR/nginx.pid;
error_log $RUN_DIR/nginx-error.log warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $access_log;
    sendfile on;
    keepalive_timeout 30s;
    server_tokens off;
    client_max_body_size 60m;
    client_body_temp_path $RUN_DIR/nginx-temp/body;
    proxy_temp_path $RUN_DIR/nginx-temp/proxy;
    fastcgi_temp_path $RUN_DIR/nginx-temp/fastcgi;
    uwsgi_temp_path $RUN_DIR/nginx-temp/uwsgi;
    scgi_temp_path $RUN_DIR/nginx-temp/scgi;

    # Round robin over the two app processes; the zone shares the turn between nginx workers.
    upstream local4action {
        zone local4action 64k;
        server $HOST:$((PORT + 1));
        server $HOST:$((PORT + 2));
        keepalive 16;
    }

    server {
        listen $HOST:$PORT;
        # Which app process answered.
        add_header X-Upstream \$upstream_addr always;

        # Public uploads; Django serves them only with DEBUG on.
        location /media/ {
            alias $MEDIA_ROOT/;
            expires 1d;
        }

        location / {
            proxy_pass http://local4action;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            # \$http_host keeps the port, so Django's CSRF origin check matches the browser's.
            proxy_set_header Host \$http_host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_read_timeout 120s;
        }
    }
}
NGINX
}

status() {
  local any=1
  for entry in nginx:nginx web:gunicorn web1:gunicorn web2:gunicorn worker:rqworker; do
    local what="${entry%%:*}" name="${entry#*:}"
    if running "$what" "$name"; then
      local log="$RUN_DIR/$what.log"
      if [ "$what" = nginx ]; then log="$RUN_DIR/nginx-error.log"; fi
      echo "$what: running (pid $(cat "$RUN_DIR/$what.pid"), log $log)"
      any=0
    fi
  done
  if [ "$any" -ne 0 ]; then
    echo "nothing running (run folder $RUN_DIR)"
    return 1
  fi
  if curl -fsS -o /dev/null "http://$HOST:$PORT/robots.txt"; then
    echo "http://$HOST:$PORT/ answers"
  else
    echo "http://$HOST:$PORT/ does not answer"
  fi
}

start() {
  local two=0
  case "${1:-}" in
    --two) two=1 ;;
    "") ;;
    *) usage ;;
  esac
  mkdir -p "$RUN_DIR"
  for entry in nginx:nginx web:gunicorn web1:gunicorn web2:gunicorn worker:rqworker; do
    if running "${entry%%:*}" "${entry#*:}"; then
      echo "Already running; run '$0 stop' first." >&2
      exit 1
    fi
  done

  export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/local4action}"
  export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
  if [ -z "${SECRET_KEY:-}" ]; then
    if [ ! -s "$RUN_DIR/secret_key" ]; then
      (umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' >"$RUN_DIR/secret_key")
    fi
    SECRET_KEY=$(cat "$RUN_DIR/secret_key")
  fi
  export SECRET_KEY
  export DEBUG=0
  export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
  # Hashed, compressed static files collected beforehand; whitenoise serves them for years.
  export STATIC_MANIFEST=1 WHITENOISE_USE_FINDERS=0
  export STATIC_ROOT="${STATIC_ROOT:-$RUN_DIR/static}"
  export MEDIA_ROOT="${MEDIA_ROOT:-$RUN_DIR/media}"
  export PRIVATE_MEDIA_ROOT="${PRIVATE_MEDIA_ROOT:-$RUN_DIR/private-media}"
  export SITE_URL="${SITE_URL:-http://$HOST:$PORT}"
  mkdir -p "$MEDIA_ROOT" "$PRIVATE_MEDIA_ROOT"

  ensure_postgres
  ensure_redis
  ensure_database
  echo "Migrating and collecting static files"
  "$PY" manage.py migrate --noinput -v 0
  "$PY" manage.py collectstatic --noinput -v 0

  local workers="${WEB_CONCURRENCY:-$(nproc)}" names=()
  if [ "$two" -eq 1 ]; then
    if ! command -v nginx >/dev/null; then
      echo "Installing nginx with apt-get"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx
    fi
    local half=$((workers / 2))
    [ "$half" -ge 1 ] || half=1
    # Behind nginx: the client's address is the last one nginx adds to X-Forwarded-For.
    start_gunicorn web1 "$HOST:$((PORT + 1))" "$half" 1
    start_gunicorn web2 "$HOST:$((PORT + 2))" "$half" 1
    # nginx counts an upstream that refuses as down for 10 s: start it once both answer.
    wait_for_web "http://$HOST:$((PORT + 1))/robots.txt" web1
    wait_for_web "http://$HOST:$((PORT + 2))/robots.txt" web2
    write_nginx_conf
    # -e: nginx opens its error log before reading the config; keep it out of /var/log.
    nginx -e "$RUN_DIR/nginx-error.log" -c "$RUN_DIR/nginx.conf" -p "$RUN_DIR/"
    names=(web1 web2)
  else
    start_gunicorn web "$HOST:$PORT" "$workers"
    names=(web)
  fi
  spawn worker.log "$PY" manage.py rqworker default
  echo "$SPAWNED" >"$RUN_DIR/worker.pid"

  for name in "${names[@]}"; do
    wait_for_web "http://$HOST:$PORT/robots.txt" "$name"
  done

  echo
  echo "Local4Action runs on http://$HOST:$PORT/"
  if [ "$two" -eq 1 ]; then
    echo "  nginx      $HOST:$PORT (round robin)   pid $(cat "$RUN_DIR/nginx.pid")"
    echo "  gunicorn   $HOST:$((PORT + 1)), $half workers x ${GUNICORN_THREADS:-4} threads  pid $(cat "$RUN_DIR/web1.pid")"
    echo "  gunicorn   $HOST:$((PORT + 2)), $half workers x ${GUNICORN_THREADS:-4} threads  pid $(cat "$RUN_DIR/web2.pid")"
  else
    echo "  gunicorn   $HOST:$PORT, $workers workers x ${GUNICORN_THREADS:-4} threads  pid $(cat "$RUN_DIR/web.pid")"
  fi
  echo "  rqworker   queue default                 pid $(cat "$RUN_DIR/worker.pid")"
  echo "  database   $(echo "$DATABASE_URL" | sed -E 's#//[^@/]*@#//#')"
  echo "  redis      $REDIS_URL"
  echo "  run folder $RUN_DIR (logs *.log, static/, media/, private-media/)"
}

stop() {
  stop_one nginx nginx
  for name in web web1 web2; do stop_one "$name" gunicorn; done
  stop_one worker rqworker
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
