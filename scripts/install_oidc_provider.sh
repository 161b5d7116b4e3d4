#!/usr/bin/env bash
# Installs the OpenID provider the tests start (tests/oidc_provider/: panva's oidc-provider) from the npm registry
# into .cache/oidc-provider/<hash of the lock file>/node_modules, exactly as tests/oidc_provider/package-lock.json
# pins it (3.4 MB, about 10 seconds; scripts/install_npm_lock.sh). OIDC_PROVIDER_DIR overrides the cache
# directory. Prints the node_modules directory on its last line.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
exec "$ROOT/scripts/install_npm_lock.sh" install_oidc_provider "$ROOT/tests/oidc_provider" \
  "${OIDC_PROVIDER_DIR:-$ROOT/.cache/oidc-provider}" oidc-provider/package.json "the tests' OpenID provider (3.4 MB)"
