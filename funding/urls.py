from django.urls import path

from . import views

app_name = "funding"
urlpatterns = [
    path("funds/<int:pk>/", views.fund_detail, name="fund"),
    path("bids/<int:pk>/", views.bid_detail, name="bid"),
    path("decisions/<int:pk>/allocate/", views.allocate, name="allocate"),
    path("boards/<slug:slug>/panel/", views.board_panel, name="board_panel"),
]
