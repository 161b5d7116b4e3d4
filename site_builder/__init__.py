"""Load, validate and render a DataCity site's content (pure code), plus a thin MkDocs plugin."""
