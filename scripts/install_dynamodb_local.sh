#!/usr/bin/env bash
# Installs DynamoDB Local (AWS's own local engine, used by the API tests) into .cache/dynamodb-local/<version>/.
#
# The engine comes from the npm registry package `amplify-dynamodb-simulator`, whose tarball carries
# emulator/DynamoDBLocal.jar (DynamoDB Local 1.25) and its native libraries: AWS's own download site is not
# reachable from every machine, the npm registry (or the mirror npm is configured with) is. Needs npm and Java 11+.
#
# Idempotent: does nothing when this version is already installed. Safe to run from `make test` and from the
# pytest fixture at once (the new copy is unpacked aside and renamed into place).
# DYNAMODB_LOCAL_DIR overrides the cache directory.
set -euo pipefail

PACKAGE=amplify-dynamodb-simulator
VERSION=2.9.30
# `npm view amplify-dynamodb-simulator@2.9.30 dist.integrity`: the tarball is checked against it.
INTEGRITY=sha512-xTeeRLvzEfqyd5lh3bH4c0kHvSHHmmhD5ZDsHFKAQ5g2Zl6JqlFdutaQhCLHzxEp6Ry1o7TB6niIoXuQAnSewQ==

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${DYNAMODB_LOCAL_DIR:-$ROOT/.cache/dynamodb-local}
DEST=$CACHE/$VERSION

fail() {
  echo "install_dynamodb_local: $*" >&2
  exit 1
}

command -v java >/dev/null 2>&1 ||
  fail "Java is not installed: DynamoDB Local needs Java 11 or newer (Debian: apt-get install -y openjdk-17-jre-headless)."
java -version >/dev/null 2>&1 || fail "'java -version' failed: check the Java installation."

if [ -f "$DEST/DynamoDBLocal.jar" ] && [ -d "$DEST/DynamoDBLocal_lib" ]; then
  echo "DynamoDB Local: $DEST"
  exit 0
fi

command -v npm >/dev/null 2>&1 ||
  fail "npm is not installed: it downloads DynamoDB Local from the npm registry (Debian: apt-get install -y npm)."
command -v node >/dev/null 2>&1 || fail "node is not installed (npm needs it)."

mkdir -p "$CACHE"
STAGING=$(mktemp -d "$CACHE/.staging-XXXXXX")
trap 'rm -rf "$STAGING"' EXIT

echo "Downloading $PACKAGE@$VERSION (about 57 MB) from the npm registry..."
(cd "$STAGING" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null) || fail "npm pack $PACKAGE@$VERSION failed."
TARBALL=$STAGING/$PACKAGE-$VERSION.tgz
[ -f "$TARBALL" ] || fail "npm pack did not produce $TARBALL."

ACTUAL=$(node -e 'const c=require("crypto"),f=require("fs");
process.stdout.write("sha512-"+c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$TARBALL")
[ "$ACTUAL" = "$INTEGRITY" ] || fail "integrity mismatch for $TARBALL: expected $INTEGRITY, got $ACTUAL."

tar xzf "$TARBALL" -C "$STAGING" package/emulator
[ -f "$STAGING/package/emulator/DynamoDBLocal.jar" ] || fail "DynamoDBLocal.jar is missing from the package."

# rename(2) is atomic; if another install won the race, keep its copy.
mv -T "$STAGING/package/emulator" "$DEST" 2>/dev/null || [ -f "$DEST/DynamoDBLocal.jar" ] ||
  fail "could not move DynamoDB Local into $DEST (an incomplete copy? remove that directory and run again)."
echo "DynamoDB Local: $DEST"
