#!/usr/bin/env bash
# System packages the platform needs: gettext (translations), npm (front-end packages), and for
# PDF reports WeasyPrint's libraries (Pango, HarfBuzz subsetting) with at least one font, and
# Cairo for PNG pictures.
# Installs the missing ones on Debian/Ubuntu.
set -euo pipefail
missing=()
command -v msgfmt >/dev/null || missing+=(gettext)
command -v npm >/dev/null || missing+=(npm)
# Read the linker cache once: `ldconfig -p | grep -q` would trip pipefail when grep stops early.
ldconfig="$(command -v ldconfig || echo /sbin/ldconfig)"
libraries="$("$ldconfig" -p 2>/dev/null || true)"
grep -q 'libpango-1\.0\.so' <<<"$libraries" || missing+=(libpango-1.0-0)
grep -q 'libpangoft2-1\.0\.so' <<<"$libraries" || missing+=(libpangoft2-1.0-0)
grep -q 'libharfbuzz-subset\.so' <<<"$libraries" || missing+=(libharfbuzz-subset0)
# Cairo draws the co-creation billboards as PNG (CairoSVG).
grep -q 'libcairo\.so\.2' <<<"$libraries" || missing+=(libcairo2)
[ -n "$(fc-list 2>/dev/null || true)" ] || missing+=(fontconfig fonts-dejavu-core)
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "Installing ${missing[*]} with apt-get"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
