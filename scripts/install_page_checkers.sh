#!/usr/bin/env bash
# Installs the page checkers of `make check-pages` (the Nu Html Checker, pa11y, Lighthouse) from the npm registry
# into .cache/page-checkers/<hash of the lock file>/node_modules, exactly as scripts/page_checkers/package-lock.json
# pins them: `npm ci` checks every tarball against the lock file's integrity hashes.
#
# Idempotent: does nothing when this lock file is already installed. A new lock file installs beside the old one.
# No tool downloads a browser of its own (PUPPETEER_SKIP_DOWNLOAD, --ignore-scripts): they drive /usr/bin/chromium.
# Needs npm and node; the Nu Html Checker also needs Java 11+. PAGE_CHECKERS_DIR overrides the cache directory.
# Prints the node_modules directory on its last line.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SPEC=$ROOT/scripts/page_checkers
CACHE=${PAGE_CHECKERS_DIR:-$ROOT/.cache/page-checkers}

fail() {
  echo "install_page_checkers: $*" >&2
  exit 1
}

command -v npm >/dev/null 2>&1 || fail "npm is not installed (Debian: apt-get install -y npm)."
command -v java >/dev/null 2>&1 || fail "Java is not installed: the Nu Html Checker needs it (Debian: apt-get install -y openjdk-17-jre-headless)."

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
echo "Installing the page checkers from the npm registry (about 230 MB)..." >&2
(cd "$STAGING" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --silent --no-audit --no-fund --ignore-scripts >&2) ||
  fail "npm ci failed in $STAGING (see above)."
[ -f "$STAGING/node_modules/vnu-jar/build/dist/vnu.jar" ] || fail "vnu.jar is missing from the vnu-jar package."
touch "$STAGING/.installed"
# rename(2) is atomic; if another install won the race, keep its copy.
mv -T "$STAGING" "$DEST" 2>/dev/null || [ -f "$DEST/.installed" ] || fail "could not move the checkers into $DEST."
trap - EXIT
echo "$DEST/node_modules"
