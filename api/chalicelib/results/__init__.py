"""Results and the vote log: the open-data results document, the pseudonymous vote log once the consultation has
closed, and each voter's own code to find their votes in it."""
