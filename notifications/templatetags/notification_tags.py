"""The notifications of a partner or an agreement, for their pages (which cannot import this
app: it sits above theirs)."""

from django import template

from core.marked import visible
from notifications.models import CongressionalNotification

register = template.Library()


@register.inclusion_tag("notifications/includes/notifications_of.html", takes_context=True)
def notifications_of(context, record, field: str):
    """The notifications whose `field` ("partner" or "agreement") is `record`, that the
    page's reader may see, newest first, with their computed review."""
    queryset = CongressionalNotification.objects.with_review().filter(**{field: record})
    rows = visible(queryset, context["request"].user).select_related("partner")
    return {"notifications": list(rows.order_by("-received_on", "-id")[:200]), "field": field}
