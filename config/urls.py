from django.contrib import admin
from django.urls import include, path

from boards import views as boards_views

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/reminders/",
        include(([path("", boards_views.reminder_preferences, name="preferences")], "reminders")),
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("boards/", include("boards.urls")),
    path("meetings/", include("meetings.urls")),
    path("actions/", include("actions.urls")),
    path("funding/", include("funding.urls")),
    path("search/", include("search.urls")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]
