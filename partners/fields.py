"""The fields of partners and their designations, declared once.

The service accepts these keys, and the form, the API, the admin and the import show them,
in this order; adding a field to a partner means the model, its migration and this list.
"""

from core.marked import MARKING_FIELDS

PARTNER_FIELDS = ("name", "kind", "iso3", "parent", "notes", *MARKING_FIELDS)
DESIGNATION_FIELDS = ("category", "valid_from", "valid_to", "instrument")

# What the API list may be sorted by (`?ordering=`), in the order the OpenAPI document
# lists them. Clients send these names, so none is taken away (CONTRACT.md).
PARTNER_ORDERING = ("id", "name", "kind", "iso3", "parent", "version")
