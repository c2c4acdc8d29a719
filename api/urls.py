from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from security.api import ObtainTokenView

from . import views

router = DefaultRouter()
router.register("boards", views.BoardViewSet, basename="board")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("items", views.AgendaItemViewSet, basename="item")
router.register("decisions", views.DecisionViewSet, basename="decision")
router.register("actions", views.ActionViewSet, basename="action")
router.register("funds", views.FundViewSet, basename="fund")

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Issued only past two-factor, as the sign-in page is (security.tokens).
    path("token/", ObtainTokenView.as_view(), name="token"),
    path("open/<slug:slug>/ocd-events/", views.OcdEventsView.as_view(), name="ocd_events"),
    path("open/<slug:slug>/oparl/", views.OparlView.as_view(), name="oparl"),
    path("open/<slug:slug>/360giving/", views.GivingView.as_view(), name="giving"),
    path("open/<slug:slug>/360giving.csv", views.giving_csv, name="giving_csv"),
    path("", include(router.urls)),
]
