"""The registry's own display formats (FORMAT_MODULE_PATH), over Django's for English."""
