"""One date style on every page (issue 30): "Dec 7, 2026", as the `day` template filter
writes it, instead of Django's English "Dec. 7, 2026" / "March 7, 2026" mix. Input formats
and the rest stay Django's."""

DATE_FORMAT = "M j, Y"
DATETIME_FORMAT = "M j, Y, g:i a"
MONTH_DAY_FORMAT = "M j"
