from django.urls import path

from . import views

app_name = "importer"
urlpatterns = [
    path("boards/<slug:slug>/", views.upload, name="upload"),
    path("<int:pk>/", views.review, name="review"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
]
