from django.urls import path

from . import setup_views, views

app_name = "boards"
urlpatterns = [
    # Before "<slug>/": "new" and "invitation" are kept out of boards' slugs.
    path("new/", setup_views.board_new, name="new"),
    path("invitation/<str:token>/", setup_views.invitation_accept, name="invitation_accept"),
    path("<slug:slug>/", views.board_detail, name="detail"),
    path("<slug:slug>/settings/", setup_views.board_settings, name="settings"),
    path("<slug:slug>/sub-boards/new/", setup_views.sub_board_new, name="sub_board_new"),
    path("<slug:slug>/organisations/", setup_views.organisations, name="organisations"),
    path(
        "<slug:slug>/organisations/<int:pk>/",
        setup_views.organisation_edit,
        name="organisation_edit",
    ),
    path(
        "<slug:slug>/organisations/merge/",
        setup_views.organisation_merge,
        name="organisation_merge",
    ),
    path("<slug:slug>/people/", setup_views.people, name="people"),
    path("<slug:slug>/people/new/", setup_views.person_new, name="person_new"),
    path("<slug:slug>/people/import/", setup_views.people_import, name="people_import"),
    path("<slug:slug>/people/<int:pk>/", setup_views.person_edit, name="person_edit"),
    path("<slug:slug>/people/<int:pk>/invite/", setup_views.person_invite, name="person_invite"),
    path(
        "<slug:slug>/invitations/<int:pk>/resend/",
        setup_views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "<slug:slug>/invitations/<int:pk>/revoke/",
        setup_views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("<slug:slug>/members/", setup_views.members, name="members"),
    path("<slug:slug>/members/new/", setup_views.membership_new, name="membership_new"),
    path("<slug:slug>/members/<int:pk>/", setup_views.membership_edit, name="membership_edit"),
]
