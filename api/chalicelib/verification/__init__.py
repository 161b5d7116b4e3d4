"""Verified participation: a resident proves who they are once (email link or code, OpenID Connect) and votes as
one verified voter, on every device; only keyed hashes are kept (docs/api.md, "Verified participation")."""
