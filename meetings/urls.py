from django.urls import path

from . import pdf_views, views

app_name = "meetings"
urlpatterns = [
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/minutes.pdf", pdf_views.minutes_pdf, name="minutes_pdf"),
]
