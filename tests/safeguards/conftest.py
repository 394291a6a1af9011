"""The API clients of tests/api, and the safeguards records the tests build on."""

from tests.api.conftest import _fresh_throttle_counters, anon_api, api, auditor_api  # noqa: F401
