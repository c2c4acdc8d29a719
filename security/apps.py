from django.apps import AppConfig


class SecurityConfig(AppConfig):
    """Sign-in hardening, two-factor set-up, the audit-trail partial and security headers."""

    name = "security"
    verbose_name = "Security"
