"""Forms of the partner pages; the services (partners/services.py) do the writing."""

from core.web.forms import form_for, formset_for
from partners.models import Partner, PartnerDesignation

PartnerForm = form_for(
    Partner, ["name", "kind", "iso3", "parent", "notes"], versioned=True, name="PartnerForm"
)
DesignationForm = form_for(
    PartnerDesignation,
    ["category", "valid_from", "valid_to", "instrument"],
    name="DesignationForm",
)
DesignationFormSet = formset_for(DesignationForm)
