from django.urls import path

from . import views

app_name = "security"
urlpatterns = [
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/verify/", views.verify, name="verify"),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
]
