from django.urls import path

from . import views

app_name = "actions"
urlpatterns = [
    path("mine/", views.my_actions, name="mine"),
    path("<int:pk>/", views.action_detail, name="detail"),
    path("board/<slug:slug>/", views.action_log, name="log"),
    path("item/<int:pk>/", views.item_actions, name="item_actions"),
    path("meeting/<int:pk>/matters-arising/", views.matters_arising, name="matters_arising"),
]
