from django.contrib import admin
from django.urls import include, path

from boards import views as boards_views
from security import views as security_views

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("about/", views.about, name="about"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path(
        "accounts/reminders/",
        include(
            (
                [
                    path("", boards_views.reminder_preferences, name="preferences"),
                    path(
                        "unsubscribe/<str:token>/",
                        boards_views.unsubscribe,
                        name="unsubscribe",
                    ),
                ],
                "reminders",
            )
        ),
    ),
    # Before Django's own: sign-in with the two-factor step (same name, same address).
    path("accounts/login/", security_views.SignInView.as_view(), name="login"),
    path("accounts/", include("security.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("boards/", include("boards.urls")),
    path("meetings/", include("meetings.urls")),
    path("actions/", include("actions.urls")),
    path("funding/", include("funding.urls")),
    path("search/", include("search.urls")),
    path("imports/", include("importer.urls")),
    path("api/", include("api.urls")),
    # The admin signs in through ours, so a two-factor user cannot skip the code there.
    path("admin/login/", security_views.admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
]
