#!/usr/bin/env bash
# Installs the npm packages that a folder's package-lock.json pins into <cache>/<hash of the lock file>/node_modules:
# `npm ci` checks every tarball against the lock file's integrity hashes. Shared by install_page_checkers.sh and
# install_oidc_provider.sh, which say what they install.
#
#     install_npm_lock.sh NAME SPEC_DIR CACHE_DIR CHECK_FILE WHAT
#
# CHECK_FILE (relative to node_modules) must exist after the install. Idempotent: does nothing when this lock file
# is already installed; a new lock file installs beside the old one. Scripts of packages never run
# (--ignore-scripts) and Puppeteer downloads no browser: our tools drive /usr/bin/chromium. Prints the node_modules
# directory on its last line.
set -euo pipefail

NAME=$1 SPEC=$2 CACHE=$3 CHECK=$4 WHAT=$5

fail() {
  echo "$NAME: $*" >&2
  exit 1
}

command -v npm >/dev/null 2>&1 || fail "npm is not installed (Debian: apt-get install -y npm)."

HASH=$(cat "$SPEC/package.json" "$SPEC/package-lock.json" | cksum | cut -d' ' -f1)
DEST=$CACHE/$HASH
if [ -f "$DEST/.installed" ]; then
  echo "$DEST/node_modules"
  exit 0
fi

mkdir -p "$CACHE"
STAGING=$(mktemp -d "$CACHE/.staging-XXXXXX")
trap 'rm -rf "$STAGING"' EXIT
cp "$SPEC/package.json" "$SPEC/package-lock.json" "$STAGING/"
echo "Installing $WHAT from the npm registry..." >&2
(cd "$STAGING" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --silent --no-audit --no-fund --ignore-scripts >&2) ||
  fail "npm ci failed in $STAGING (see above)."
[ -f "$STAGING/node_modules/$CHECK" ] || fail "$CHECK is missing after npm ci."
touch "$STAGING/.installed"
# rename(2) is atomic; if another install won the race, keep its copy.
mv -T "$STAGING" "$DEST" 2>/dev/null || [ -f "$DEST/.installed" ] || fail "could not move $WHAT into $DEST."
trap - EXIT
echo "$DEST/node_modules"
