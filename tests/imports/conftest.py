"""The provision the import files name (22 U.S.C. 2378d, section 620M of Pub. L. 87-195)."""

import pytest

from tests.factories import ActFactory, ProvisionFactory


@pytest.fixture
def leahy(db):
    act = ActFactory(title="Foreign Assistance Act of 1961", public_law="87-195")
    return ProvisionFactory(
        act=act, section="620M", codification="22 U.S.C. 2378d", report_deadline_days=15
    )
