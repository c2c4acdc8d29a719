from django.urls import path

from . import pdf_views, register_views, response_views, views

app_name = "meetings"
urlpatterns = [
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/minutes.pdf", pdf_views.minutes_pdf, name="minutes_pdf"),
    path("<int:pk>/agenda-pack/", pdf_views.agenda_pack, name="agenda_pack"),
    path("<int:pk>/agenda-pack.pdf", pdf_views.agenda_pack_pdf, name="agenda_pack_pdf"),
    path("new/<slug:slug>/", views.meeting_create, name="create"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/details/", views.meeting_details, name="details"),
    path("<int:pk>/delete/", views.meeting_delete, name="delete"),
    path("<int:pk>/status/", views.meeting_status, name="status"),
    path("<int:pk>/items/", views.item_add, name="item_add"),
    path("<int:pk>/reorder/", views.agenda_reorder, name="reorder"),
    path("<int:pk>/people/", views.people_search, name="people_search"),
    path("<int:pk>/people/new/", views.person_create, name="person_create"),
    path("<int:pk>/attendance/", views.attendance_mark, name="attendance_mark"),
    path("<int:pk>/attendance/add/", views.attendance_add, name="attendance_add"),
    path("<int:pk>/declarations/", views.declaration_add, name="declaration_add"),
    path("items/<int:pk>/", views.item_update, name="item_update"),
    path("items/<int:pk>/delete/", views.item_delete, name="item_delete"),
    path("items/<int:pk>/indent/", views.item_indent, name="item_indent"),
    path("items/<int:pk>/minutes/", views.item_minutes, name="item_minutes"),
    path("items/<int:pk>/papers/", views.paper_upload, name="paper_upload"),
    path("items/<int:pk>/decisions/", views.decision_add, name="decision_add"),
    path("items/<int:pk>/approve/", views.minutes_approve, name="approve_minutes"),
    path("<int:pk>/approve-minutes/", views.minutes_approval, name="approval"),
    path("papers/<int:pk>/", views.paper_download, name="paper_download"),
    path("papers/<int:pk>/delete/", views.paper_delete, name="paper_delete"),
    path("decisions/<int:pk>/delete/", views.decision_delete, name="decision_delete"),
    path("declarations/<int:pk>/delete/", views.declaration_delete, name="declaration_delete"),
    path("attendance/<int:pk>/", views.attendance_presence, name="attendance_presence"),
    path("attendance/<int:pk>/role/", views.attendance_role, name="attendance_role"),
    path("attendance/<int:pk>/delete/", views.attendance_remove, name="attendance_remove"),
    # The meeting cycle: replies to invitations, cancelling, members' corrections.
    path("reply/<str:response>/<str:token>/", response_views.reply_by_link, name="reply"),
    path("<int:pk>/reply/", response_views.reply_on_page, name="reply_on_page"),
    path("<int:pk>/cancel/", response_views.meeting_cancel, name="cancel"),
    path("<int:pk>/proposals/", response_views.amendment_proposals, name="proposals"),
    path("items/<int:pk>/propose/", response_views.amendment_propose, name="propose"),
    path("proposals/<int:pk>/decide/", response_views.amendment_decide, name="proposal_decide"),
    path("<int:pk>/forward-plan/", register_views.forward_plan_add, name="forward_plan_add"),
    path(
        "forward-plan/<int:pk>/refer/",
        register_views.forward_plan_refer,
        name="forward_plan_refer",
    ),
    # A board's lists across its meetings.
    path("board/<slug:slug>/decisions/", register_views.decision_register, name="decisions"),
    path(
        "board/<slug:slug>/decisions.<str:fmt>",
        register_views.decision_register_export,
        name="decisions_export",
    ),
    path("board/<slug:slug>/forward-plan/", register_views.forward_plan, name="forward_plan"),
]
