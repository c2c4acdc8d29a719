from django.urls import path

from . import views

app_name = "boards"
urlpatterns = [
    path("<slug:slug>/", views.board_detail, name="detail"),
]
