"""The API's keys in AWS Secrets Manager: {"hash_key": urlsafe base64 of 32 random bytes, "email_key": a Fernet key}.

CloudFormation creates the secret empty (AppSecret in infra/resources.json: a generated password could not have
this shape), and this fills it, once, with keys made by the API's own code (api/chalicelib/keys.py):

    python -m infra.secret init  --secret-id datacity/prod     # fills an empty secret; never replaces valid keys
    python -m infra.secret check --secret-id datacity/prod     # says whether it holds valid keys (prints no key)
    python -m infra.secret generate > keys.json                # a new value, for a manual put-secret-value

`init --force` replaces valid keys: read "Rotating the keys" in docs/operations.md first (votes already cast can then
neither be withdrawn nor recognised, and stored contact emails can no longer be decrypted).
Uses the default AWS credentials and region (AWS_PROFILE, AWS_REGION...).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _keys_class():
    api = str(ROOT / "api")
    if api not in sys.path:
        sys.path.insert(0, api)
    from chalicelib.kernel.keys import Keys

    return Keys


def generate() -> str:
    return _keys_class().generate_json()


def problem(value: str | None) -> str | None:
    """Why a secret value is not usable by the API, or None if it is."""
    if value is None:
        return "the secret has no value yet"
    try:
        data = json.loads(value)
    except ValueError:
        return "the value is not JSON"
    if not isinstance(data, dict) or set(data) < {"hash_key", "email_key"}:
        return 'the value lacks "hash_key" or "email_key"'
    try:
        keys = _keys_class().from_json(value)
        if len(keys.hash_key) < 32:
            return "hash_key is shorter than 32 bytes"
        if keys.decrypt(keys.encrypt("check")) != "check":
            return "email_key does not round-trip"
    except Exception as error:  # a malformed base64 or Fernet key
        return f"the keys do not load ({type(error).__name__}: {error})"
    return None


def current_value(client, secret_id: str) -> str | None:
    try:
        return client.get_secret_value(SecretId=secret_id)["SecretString"]
    except client.exceptions.ResourceNotFoundException:
        # Also what Secrets Manager answers for a secret that exists but has no AWSCURRENT version yet: if the
        # secret itself is missing, put_secret_value fails next with a clear message.
        return None


def init(client, secret_id: str, force: bool = False) -> str:
    """Fill the secret with new keys unless it already holds valid ones (or force); return what was done."""
    why = problem(current_value(client, secret_id))
    if why is None and not force:
        return "unchanged: the secret already holds valid keys"
    client.put_secret_value(SecretId=secret_id, SecretString=generate())
    return "replaced valid keys (forced)" if why is None else f"filled ({why})"


def announce_hash_key(value: str) -> str:
    """Step 1 of a rotation: a new key, under which votes are looked up too (lookup_hash_keys); still written under
    hash_key. Returns the secret's new value."""
    data = json.loads(value)
    if data.get("lookup_hash_keys"):
        raise ValueError("a rotation is under way already (lookup_hash_keys is set): switch or end it first")
    return json.dumps({**data, "lookup_hash_keys": [json.loads(generate())["hash_key"]]})


def switch_hash_key(value: str) -> str:
    """Step 2: the announced key becomes hash_key (new votes are written under it), the old one is looked up."""
    data = json.loads(value)
    announced = data.get("lookup_hash_keys") or []
    if len(announced) != 1:
        raise ValueError("no key announced (run announce-hash-key first)")
    return json.dumps({**data, "hash_key": announced[0], "lookup_hash_keys": [data["hash_key"]]})


def end_rotation(value: str) -> str:
    """The end, once no open challenge has votes under the old key: votes only under it are no longer found."""
    data = json.loads(value)
    data.pop("lookup_hash_keys", None)
    return json.dumps(data)


def change(client, secret_id: str, how) -> str:
    value = current_value(client, secret_id)
    why = problem(value)
    if why is not None:
        raise ValueError(f"the secret is not usable ({why})")
    client.put_secret_value(SecretId=secret_id, SecretString=how(value))
    return "done (running containers re-read the keys at their next start: see docs/operations.md)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("init", "check", "announce-hash-key", "switch-hash-key", "end-rotation"):
        command = sub.add_parser(name)
        command.add_argument("--secret-id", required=True, help="name or ARN (output SecretArn of the stack)")
        command.add_argument("--region")
        if name == "init":
            command.add_argument("--force", action="store_true", help="replace valid keys (a rotation)")
    sub.add_parser("generate")
    args = parser.parse_args(argv)
    if args.command == "generate":
        print(generate())
        return 0
    import boto3

    client = boto3.session.Session(region_name=args.region).client("secretsmanager")
    if args.command == "check":
        why = problem(current_value(client, args.secret_id))
        print(f"{args.secret_id}: " + ("valid keys" if why is None else f"NOT usable: {why}"))
        return 0 if why is None else 1
    steps = {"announce-hash-key": announce_hash_key, "switch-hash-key": switch_hash_key, "end-rotation": end_rotation}
    if args.command in steps:
        how = steps[args.command]
        try:
            print(f"{args.secret_id}: {change(client, args.secret_id, how)}")
        except ValueError as error:
            print(f"{args.secret_id}: {error}", file=sys.stderr)
            return 1
        return 0
    print(f"{args.secret_id}: {init(client, args.secret_id, args.force)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
