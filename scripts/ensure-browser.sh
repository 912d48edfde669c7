#!/usr/bin/env bash
# Browser tests drive Debian's Chromium (Playwright never downloads a browser here).
set -euo pipefail
command -v chromium >/dev/null && exit 0
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "Installing chromium with apt-get"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-dejavu-core
