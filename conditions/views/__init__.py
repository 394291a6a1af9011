"""Web pages of the conditions app, split by sub-domain."""
