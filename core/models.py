"""core has no models; the module exists so that post_migrate is sent for it."""
