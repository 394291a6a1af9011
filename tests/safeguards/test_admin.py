"""The safeguards records in the admin: every page renders, nothing can be written."""

import pytest
from django.urls import reverse

from tests.safeguards.factories import (
    EndUseCheckFactory,
    ReleaseFactory,
    TransferFactory,
    ViolationFactory,
)

pytestmark = pytest.mark.django_db


def test_every_safeguards_admin_page_renders_read_only(client, admin_user):
    client.force_login(admin_user)
    records = [ReleaseFactory(), EndUseCheckFactory(), TransferFactory(), ViolationFactory()]
    records.append(records[0].item)
    for record in records:
        opts = record._meta
        listing = reverse(f"admin:safeguards_{opts.model_name}_changelist")
        assert client.get(listing).status_code == 200, listing
        page = reverse(f"admin:safeguards_{opts.model_name}_change", args=[record.pk])
        response = client.get(page)
        assert response.status_code == 200, page
        assert client.post(page, {}).status_code == 403, page
