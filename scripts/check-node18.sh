#!/bin/sh
# Checks that the web application installs and builds with Debian 12's own Node.js (18.x) and
# npm (9.x), as `make run` does on a stock Debian 12: unpacks Debian's nodejs, libnode108 and
# npm packages (and the node-* packages npm needs) beside the machine's own Node, then, in a
# copy of web/, runs `npm ci --engine-strict` (every dependency's `engines` must admit Node 18),
# `npm run build` and the sign-in page's size budget (scripts/size.mjs) with them.
#   scripts/check-node18.sh            the first run downloads the .debs with `apt-get download`
#                                      (needs `apt-get update` lists and the network); later runs
#                                      reuse them, and npm reads packages from its cache first
#   NODE18_DIR=/path scripts/check-node18.sh   where the packages are unpacked (default /tmp/guanbiao-node18)
set -eu
cd "$(dirname "$0")/.."
root=$PWD
dir=${NODE18_DIR:-/tmp/guanbiao-node18}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

if [ ! -x "$dir/usr/bin/node" ] || [ ! -f "$dir/usr/share/nodejs/npm/bin/npm-cli.js" ]; then
    # Debian's Node 18 (the version apt knows from bookworm, whatever Node the machine runs).
    version=$(apt-cache madison nodejs | awk -F'|' '{gsub(/ /, "", $2)} $2 ~ /^18\./ {print $2; exit}')
    if [ -z "$version" ]; then
        echo "check-node18: apt knows no nodejs 18.x: run apt-get update on a Debian 12 machine" >&2
        exit 1
    fi
    # npm with everything it depends on that this machine lacks (dpkg -x does not install).
    packages="nodejs=$version"
    for p in $(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
                 --no-replaces --no-enhances npm libnode108 | grep -v '^[ <]' | sort -u); do
        case $p in nodejs) continue ;; esac
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" && continue
        packages="$packages $p"
    done
    echo "check-node18: downloading nodejs $version, npm and $(echo "$packages" | wc -w) packages into $dir/debs"
    mkdir -p "$dir/debs"
    (cd "$dir/debs" && apt-get download -qq $packages)
    for deb in "$dir"/debs/*.deb; do dpkg-deb -x "$deb" "$dir"; done
fi

# Debian's node loads some of its own modules from /usr/share/nodejs, and Debian's npm lives
# there too: run the check in a private mount namespace whose /usr is the unpacked packages laid
# over the machine's /usr (an overlay), as if they were installed; the machine is left as it was.
work="$dir/work"
rm -rf "$work"
mkdir -p "$work"
# A copy of web/ without its node_modules and dist, so the machine's own install is untouched.
tar -C "$root" --exclude=web/node_modules --exclude=web/dist -cf - web | tar -C "$work" -xf -
exec unshare --mount --map-root-user sh -eu -c '
    mount -t overlay overlay -o "lowerdir=$1/usr:/usr" /usr
    export PATH=/usr/bin:$PATH
    node_version=$(node --version)
    npm_version=$(npm --version)
    echo "check-node18: node $node_version ($(command -v node)), npm $npm_version ($(command -v npm))"
    case $node_version in v18.*) ;; *) echo "check-node18: expected Node 18, got $node_version" >&2; exit 1 ;; esac
    cd "$2/web"
    npm ci --engine-strict --prefer-offline --no-audit --no-fund --loglevel=error
    npm run build
    node scripts/size.mjs /login
    echo "check-node18: the web application installs and builds with node $node_version and npm $npm_version"
' check-node18 "$dir" "$work"
