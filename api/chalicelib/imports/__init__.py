"""Offline participation: staff import the votes and comments collected in workshops, on paper or by phone, all or
nothing, once per file."""
