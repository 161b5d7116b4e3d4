"""Adapters: what the rooms need from the outside world, behind the rooms' own contracts and error types.

- store.py joins every room's part of the storage contract into one interface, implemented by sqlite/ (embedded,
  local) and dynamodb/ (production); both raise only kernel/storage.py's errors.
- secrets.py reads the server's keys and the staff tokens' hashes (Secrets Manager or local files).
"""
