from django.urls import path

from . import pdf_views, views

app_name = "actions"
urlpatterns = [
    path("mine/", views.my_actions, name="mine"),
    path("mine/<slug:group>/", views.my_action_group, name="mine_group"),
    path("<int:pk>/", views.action_detail, name="detail"),
    path("<int:pk>/update/", views.add_update, name="add_update"),
    path("<int:pk>/close/", views.close_action, name="close"),
    path("<int:pk>/reopen/", views.reopen_action, name="reopen"),
    path("<int:pk>/edit/", views.edit_action, name="edit"),
    path("board/<slug:slug>/", views.action_log, name="log"),
    path("board/<slug:slug>/export.<str:fmt>", views.action_log_export, name="log_export"),
    path("board/<slug:slug>/log.pdf", pdf_views.action_log_pdf, name="log_pdf"),
    path("board/<slug:slug>/build/<str:fmt>/", pdf_views.action_log_build, name="log_build"),
    path("board/<slug:slug>/leavers/", views.leavers, name="leavers"),
    path("board/<slug:slug>/meetings.ics", views.board_feed, name="board_feed"),
    path("item/<int:pk>/", views.item_actions, name="item_actions"),
    path("meeting/<int:pk>/item-actions/", views.meeting_actions, name="meeting_actions"),
    path("meeting/<int:pk>/matters-arising/", views.matters_arising, name="matters_arising"),
    path("calendar/<str:token>.ics", views.person_feed, name="person_feed"),
    path("calendar/new-link/", views.new_calendar_link, name="new_calendar_link"),
]
