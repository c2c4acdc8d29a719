from django.urls import path

from . import views

app_name = "funding"
urlpatterns = [
    path("funds/<int:pk>/", views.fund_detail, name="fund"),
    path("funds/<int:pk>/lines/", views.fund_record_line, name="fund_record_line"),
    path("funds/<int:pk>/lines/<int:entry_pk>/reverse/", views.fund_reverse, name="fund_reverse"),
    path("funds/<int:pk>/lines/<int:entry_pk>/release/", views.fund_release, name="fund_release"),
    path("funds/<int:pk>/transfer/", views.fund_transfer, name="fund_transfer"),
    path("funds/<int:pk>/ledger.csv", views.fund_csv, name="fund_csv"),
    path("funds/<int:pk>/360giving.csv", views.fund_grants, {"fmt": "csv"}, name="grants_csv"),
    path("funds/<int:pk>/360giving.json", views.fund_grants, {"fmt": "json"}, name="grants_json"),
    path("bids/<int:pk>/", views.bid_detail, name="bid"),
    path("bids/<int:pk>/status/", views.bid_status, name="bid_status"),
    path("bids/<int:pk>/lines/", views.bid_add_line, name="bid_add_line"),
    path("bids/<int:pk>/savings/", views.bid_add_savings, name="bid_add_savings"),
    path("bids/<int:pk>/award/", views.bid_award, name="bid_award"),
    path("decisions/<int:pk>/allocate/", views.allocate, name="allocate"),
    path("boards/<slug:slug>/panel/", views.board_panel, name="board_panel"),
    path("boards/<slug:slug>/bids/", views.bid_list, name="bids"),
    path("boards/<slug:slug>/bids/new/", views.bid_create, name="bid_new"),
    path("boards/<slug:slug>/funds/new/", views.fund_new, name="fund_new"),
]
