"""Who is taking part, as keyed hashes only, and how often: the voter cookie, the client address, rate limits."""
