"""Forms of the partner pages; the services (partners/services.py) do the writing."""

from core.web.forms import RegistryModelForm, VersionedModelForm, formset_for
from partners.fields import DESIGNATION_FIELDS, PARTNER_FIELDS
from partners.models import Partner, PartnerDesignation


class PartnerForm(VersionedModelForm):
    class Meta:
        model = Partner
        fields = PARTNER_FIELDS


class DesignationForm(RegistryModelForm):
    class Meta:
        model = PartnerDesignation
        fields = DESIGNATION_FIELDS


DesignationFormSet = formset_for(DesignationForm)
