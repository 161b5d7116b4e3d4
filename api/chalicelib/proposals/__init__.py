"""Proposals: residents propose challenges of their own during the consultation, with an email kept encrypted only
if they consent, deleted on the promised date."""
