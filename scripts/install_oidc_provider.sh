#!/usr/bin/env bash
# Installs the OpenID provider the tests start (tests/oidc_provider/: panva's oidc-provider) from the npm registry
# into .cache/oidc-provider/<hash of the lock file>/node_modules, exactly as tests/oidc_provider/package-lock.json
# pins it: `npm ci` checks every tarball against the lock file's integrity hashes (3.4 MB, about 10 seconds).
#
# Idempotent: does nothing when this lock file is already installed. Needs npm and node. OIDC_PROVIDER_DIR
# overrides the cache directory. Prints the node_modules directory on its last line.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SPEC=$ROOT/tests/oidc_provider
CACHE=${OIDC_PROVIDER_DIR:-$ROOT/.cache/oidc-provider}

fail() {
  echo "install_oidc_provider: $*" >&2
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
echo "Installing the tests' OpenID provider from the npm registry (3.4 MB)..." >&2
(cd "$STAGING" && npm ci --silent --no-audit --no-fund --ignore-scripts >&2) || fail "npm ci failed in $STAGING (see above)."
[ -f "$STAGING/node_modules/oidc-provider/package.json" ] || fail "oidc-provider is missing after npm ci."
touch "$STAGING/.installed"
# rename(2) is atomic; if another install won the race, keep its copy.
mv -T "$STAGING" "$DEST" 2>/dev/null || [ -f "$DEST/.installed" ] || fail "could not move the provider into $DEST."
trap - EXIT
echo "$DEST/node_modules"
