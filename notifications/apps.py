from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Congressional notifications"

    def ready(self):
        from conditions.services.scan import register_scan
        from notifications.scan import notification_scan

        # The scan (conditions/) runs these flags too, without importing this app.
        register_scan(notification_scan)
