#!/bin/sh
# Installs what Guanbiao needs on a Debian machine, idempotently: Debian packages with
# apt-get (only the missing ones; `apt-get update` only when something is missing) and the
# web application's npm packages with `npm ci` (only when package-lock.json changed).
#   scripts/setup.sh run    what `make run` needs: compilers, libraries, Node.js (Debian 12's own
#                           nodejs 18 and npm 9 will do), the Noto CJK fonts the pages use
#   scripts/setup.sh test   also PostgreSQL, Chromium, clang's fuzzer runtime, wrk
set -eu
cd "$(dirname "$0")/.."

mode=${1:-run}
packages="build-essential pkg-config meson ninja-build python3 libh2o-evloop-dev libjansson-dev
libsqlite3-dev libpq-dev libsodium-dev fonts-noto-cjk libcairo2-dev libpango1.0-dev libqrencode-dev
libxlsxwriter-dev libmagic-dev libcurl4-openssl-dev libzip-dev libxml2-dev libcmark-dev libpcre2-dev
libutf8proc-dev libpoppler-glib-dev"
if [ "$mode" = test ] || [ "$mode" = bench ]; then
    packages="$packages libcmocka-dev postgresql sqlite3 chromium clang libclang-rt-14-dev wrk
    poppler-utils zbar-tools python3-openpyxl"
fi
command -v node >/dev/null 2>&1 || packages="$packages nodejs npm"

missing=""
for p in $packages; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
if [ -n "$missing" ]; then
    echo "setup: installing Debian packages:$missing"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi

# The web toolchain (web/package.json) supports Node.js 18 and later.
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 18 ]; then
    echo "setup: Node.js $(node --version 2>/dev/null || echo '(none)') is too old: the web application needs 18 or later." >&2
    echo "setup: on Debian 12: sudo apt-get install nodejs npm (Debian's own nodejs is 18.x); then make run again" >&2
    exit 1
fi

# npm ci when node_modules is missing or older than the lock file
stamp=web/node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ web/package-lock.json -nt "$stamp" ]; then
    echo "setup: npm ci in web/"
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
fi
