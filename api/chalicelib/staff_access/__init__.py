"""Staff access: who may act on which program (staff tokens or IAM principals), and the append-only audit log of
everything they do."""
