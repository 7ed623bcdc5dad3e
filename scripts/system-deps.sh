#!/usr/bin/env bash
# System packages Crosslink needs that PyPI cannot provide: ICU headers (PyICU, pulled in by
# followthemoney), the PostgreSQL server binaries the test fixtures start, and Debian's
# Chromium (with a basic font) for the end-to-end tests of the web pages.
set -euo pipefail

missing=()
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
pkg-config --exists icu-uc 2>/dev/null || missing+=(libicu-dev)
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Crosslink needs these system packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
