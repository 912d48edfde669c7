#!/usr/bin/env bash
# What the test suite needs beyond Python and npm: Debian's Chromium for browser tests (Playwright
# never downloads a browser here) and a Redis server for the task-queue tests.
set -euo pipefail
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
missing=()
command -v chromium >/dev/null || missing+=(chromium fonts-dejavu-core)
command -v redis-server >/dev/null || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} with apt-get"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
redis_url="${REDIS_TEST_URL:-redis://127.0.0.1:6379/15}"
port=$(echo "$redis_url" | sed -E 's#.*:([0-9]+)/?.*#\1#')
if ! redis-cli -p "$port" ping >/dev/null 2>&1; then
  echo "Starting redis-server on port $port"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no
  for _ in $(seq 1 20); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.5; done
fi
