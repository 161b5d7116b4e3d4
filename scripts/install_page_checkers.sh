#!/usr/bin/env bash
# Installs the page checkers of `make check-pages` (the Nu Html Checker, pa11y, Lighthouse) from the npm registry
# into .cache/page-checkers/<hash of the lock file>/node_modules, exactly as scripts/page_checkers/package-lock.json
# pins them (about 230 MB; scripts/install_npm_lock.sh). No tool downloads a browser of its own: they drive
# /usr/bin/chromium. The Nu Html Checker also needs Java 11+. PAGE_CHECKERS_DIR overrides the cache directory.
# Prints the node_modules directory on its last line.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
command -v java >/dev/null 2>&1 || {
  echo "install_page_checkers: Java is not installed: the Nu Html Checker needs it (Debian: apt-get install -y openjdk-17-jre-headless)." >&2
  exit 1
}
exec "$ROOT/scripts/install_npm_lock.sh" install_page_checkers "$ROOT/scripts/page_checkers" \
  "${PAGE_CHECKERS_DIR:-$ROOT/.cache/page-checkers}" vnu-jar/build/dist/vnu.jar "the page checkers (about 230 MB)"
