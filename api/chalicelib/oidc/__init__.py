"""Signing in with an OpenID Connect provider (FranceConnect or another) to take part in a verified program."""
