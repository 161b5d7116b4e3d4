"""The staff console (/staff/ on the site's origin): staff sessions, and the pages that run a consultation on the
other rooms' services."""
