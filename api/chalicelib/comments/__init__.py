"""Comments and reports: residents comment on a challenge and report what breaks the charter; enough reports hide a
comment until staff review it."""
