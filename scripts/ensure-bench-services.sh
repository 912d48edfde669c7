#!/usr/bin/env bash
# What `make bench` needs beyond `make test`'s services: PostgreSQL answering on 127.0.0.1:5432
# (the benchmarks run on it) and wrk, the load tool (Debian's package).
set -euo pipefail
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
"$(dirname "$0")/ensure-test-services.sh"
if ! command -v wrk >/dev/null; then
  echo "Installing wrk with apt-get"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
