"""Every API viewset is registered here, so one file lists the whole API."""

from django.http import JsonResponse
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt
from rest_framework.routers import DefaultRouter

from agreements.api.views import (
    ActViewSet,
    AgreementViewSet,
    ProvisionViewSet,
    TechnologyAreaViewSet,
)
from conditions.api.views import ConditionViewSet, FlagViewSet, WaiverEntryViewSet
from core.history.api import HistoryEventViewSet
from notifications.api.views import NotificationViewSet
from partners.api.views import PartnerViewSet
from registry.api import ChangeFeedView
from registry.reports.api import (
    AccessReportAPIView,
    CaseActReportAPIView,
    EnforcementReportAPIView,
    IndustrialBaseReportAPIView,
    TechnologyExposureReportAPIView,
)
from registry.webhooks.api import WebhookSubscriptionViewSet
from safeguards.api.views import (
    EndUseCheckViewSet,
    ReleaseDecisionViewSet,
    TechnologyItemViewSet,
    TransferViewSet,
    ViolationViewSet,
)


@csrf_exempt  # a 404 whatever the method: no CSRF page in the way
def api_not_found(request, *args, **kwargs):
    """A JSON 404 for any unknown path under /api/v1/ (e.g. `conditions/1.5/`)."""
    return JsonResponse({"detail": "Not found."}, status=404)


router = DefaultRouter(trailing_slash=True)
router.include_root_view = False

router.register("partners", PartnerViewSet, basename="partner")
router.register("acts", ActViewSet, basename="act")
router.register("provisions", ProvisionViewSet, basename="provision")
router.register("technology-areas", TechnologyAreaViewSet, basename="technology-area")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("conditions", ConditionViewSet, basename="condition")
router.register("waivers", WaiverEntryViewSet, basename="waiver")
router.register("flags", FlagViewSet, basename="flag")
router.register("technology-items", TechnologyItemViewSet, basename="technology-item")
router.register("release-decisions", ReleaseDecisionViewSet, basename="release-decision")
router.register("end-use-checks", EndUseCheckViewSet, basename="end-use-check")
router.register("transfers", TransferViewSet, basename="transfer")
router.register("violations", ViolationViewSet, basename="violation")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("history", HistoryEventViewSet, basename="history-event")
router.register(
    "webhook-subscriptions", WebhookSubscriptionViewSet, basename="webhook-subscription"
)

urlpatterns = router.urls + [
    # The three reports (registry/reports/api.py): plain GET endpoints, not resources.
    path("reports/access/", AccessReportAPIView.as_view(), name="report-access"),
    path(
        "reports/industrial-base/",
        IndustrialBaseReportAPIView.as_view(),
        name="report-industrial-base",
    ),
    path("reports/enforcement/", EnforcementReportAPIView.as_view(), name="report-enforcement"),
    path("reports/case-act/", CaseActReportAPIView.as_view(), name="report-case-act"),
    path(
        "reports/technology-exposure/",
        TechnologyExposureReportAPIView.as_view(),
        name="report-technology-exposure",
    ),
    path("changes/", ChangeFeedView.as_view(), name="change-feed"),  # registry/api.py
    # Keep last: any other path under /api/v1/ gets the API's JSON 404, not the HTML page.
    re_path(r"^.*$", api_not_found),
]
