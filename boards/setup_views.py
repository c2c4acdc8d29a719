"""A partnership's set-up in Minutebook's own pages: the installation's staff start a
partnership; its secretary and chair keep its boards, organisations, people, memberships
and invitations. Every page fetches the board through `_managed_board`, so none can
forget the check; people and organisations are always those of the board's partnership."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, F, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from . import forms, services
from .models import Board, Invitation, Membership, Organisation, Person
from .people_import import UnreadableFile, check_rows, read_people, read_upload
from .permissions import Perm, perms_on, require


def _managed_board(request, slug) -> Board:
    """The board, if the user may manage it: 404 off the board, 403 for other roles."""
    board = get_object_or_404(Board.objects.select_related("parent"), slug=slug)
    require(request.user, Perm.MANAGE_BOARD, board)
    return board


def _people(board):
    return Person.objects.of_partnership(board).select_related("organisation", "user")


def _organisations(board):
    return Organisation.objects.of_partnership(board)


def _page(request, template, board, tab, status=200, **context):
    return render(
        request,
        f"boards/setup/{template}.html",
        {"board": board, "tab": tab, "perms": perms_on(request.user, board), **context},
        status=status,
    )


def _refused(form, error: ValidationError):
    for message in error.messages:
        form.add_error(None, message)


# --- boards -----------------------------------------------------------------------------


@login_required
def board_new(request):
    """The installation's staff start a partnership: its top board and its secretary."""
    if not request.user.is_staff:
        raise PermissionDenied("Only the installation's admin starts a new partnership.")
    form = forms.BoardCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            board = services.create_board(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                f"{board.name} is set up; {board.secretary} has been sent an invitation.",
            )
            if Perm.VIEW in perms_on(request.user, board):
                return redirect(board)
            return redirect("home")
    return render(request, "boards/setup/board_new.html", {"form": form})


@login_required
def board_settings(request, slug):
    board = _managed_board(request, slug)
    form = forms.BoardSettingsForm(
        request.POST or None, instance=board, parents=services.allowed_parents(board)
    )
    if request.method == "POST" and form.is_valid():
        try:
            # The form was bound to the board: read the changes, save through the service.
            board = Board.objects.get(pk=board.pk)
            services.update_board(
                board=board, changes={f: form.cleaned_data[f] for f in form.changed_data}
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, "The board's settings are saved.")
            return redirect("boards:settings", board.slug)
    sub_boards = board.sub_boards.order_by("name")
    return _page(request, "settings", board, "settings", form=form, sub_boards=sub_boards)


@login_required
def sub_board_new(request, slug):
    board = _managed_board(request, slug)
    people = _people(board).current()
    me = getattr(request.user, "person", None)
    initial = {"secretary": me.pk} if me else {}
    form = forms.SubBoardForm(request.POST or None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            sub = services.create_board(parent=board, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, f"{sub.name} reports to {board.name}.")
            return redirect(sub)
    return _page(request, "sub_board_new", board, "settings", form=form)


# --- organisations ---------------------------------------------------------------------


@login_required
def organisations(request, slug):
    board = _managed_board(request, slug)
    listed = _organisations(board)
    form = forms.OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.save_organisation(board=board, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, f"{organisation.name} is listed.")
            return redirect("boards:organisations", board.slug)
    return _page(
        request,
        "organisations",
        board,
        "organisations",
        status=400 if form.errors else 200,
        form=form,
        organisations=listed,
        merge_form=forms.MergeOrganisationsForm(organisations=listed),
    )


@login_required
def organisation_edit(request, slug, pk):
    board = _managed_board(request, slug)
    organisation = get_object_or_404(_organisations(board), pk=pk)
    initial = {f: getattr(organisation, f) for f in ("name", "short_name", "sector")}
    form = forms.OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_organisation(board=board, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, "The organisation is saved.")
            return redirect("boards:organisations", board.slug)
    return _page(
        request, "organisation_edit", board, "organisations", form=form, organisation=organisation
    )


@login_required
@require_POST
def organisation_merge(request, slug):
    board = _managed_board(request, slug)
    listed = _organisations(board)
    form = forms.MergeOrganisationsForm(request.POST, organisations=listed)
    if form.is_valid():
        try:
            keep = services.merge_organisations(board=board, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, f"The two are now one: {keep.name}.")
            return redirect("boards:organisations", board.slug)
    return _page(
        request,
        "organisations",
        board,
        "organisations",
        status=400,
        form=forms.OrganisationForm(),
        organisations=listed,
        merge_form=form,
    )


# --- people ----------------------------------------------------------------------------


@login_required
def people(request, slug):
    board = _managed_board(request, slug)
    pending = list(
        Invitation.objects.pending()
        .filter(board__in=Board.objects.partnership_of(board))
        .select_related("person", "board")
    )
    return _page(
        request,
        "people",
        board,
        "people",
        people=_people(board),
        invitations=pending,
        invited={invitation.person_id for invitation in pending},
    )


def _person_form_page(request, board, person=None):
    initial = {}
    if person is not None:
        fields = ("title", "name", "email", "organisation", "role_title", "left_on")
        initial = {f: getattr(person, f) for f in fields}
    form = forms.PersonForm(
        request.POST or None, initial=initial, organisations=_organisations(board)
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_person(board=board, person=person, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, f"{saved.display_name} is saved.")
            return redirect("boards:people", board.slug)
    return _page(
        request,
        "person_form",
        board,
        "people",
        status=400 if form.errors else 200,
        form=form,
        person=person,
    )


@login_required
def person_new(request, slug):
    return _person_form_page(request, _managed_board(request, slug))


@login_required
def person_edit(request, slug, pk):
    board = _managed_board(request, slug)
    return _person_form_page(request, board, get_object_or_404(_people(board), pk=pk))


@login_required
@require_POST
def person_invite(request, slug, pk):
    board = _managed_board(request, slug)
    person = get_object_or_404(_people(board), pk=pk)
    try:
        services.invite_person(person=person, board=board, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"An invitation is on its way to {person.email}.")
    return redirect("boards:people", board.slug)


def _invitation(board, pk) -> Invitation:
    partnership = Board.objects.partnership_of(board)
    return get_object_or_404(Invitation.objects.filter(board__in=partnership), pk=pk)


@login_required
@require_POST
def invitation_resend(request, slug, pk):
    board = _managed_board(request, slug)
    invitation = _invitation(board, pk)
    try:
        services.resend_invitation(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"A new link is on its way to {invitation.email}.")
    return redirect("boards:people", board.slug)


@login_required
@require_POST
def invitation_revoke(request, slug, pk):
    board = _managed_board(request, slug)
    invitation = _invitation(board, pk)
    try:
        services.revoke_invitation(invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The invitation to {invitation.email} no longer works.")
    return redirect("boards:people", board.slug)


def invitation_accept(request, token):
    """The invited person chooses a password and lands on their board. The link is the
    credential: no sign-in is asked for, and a used, revoked or expired one is refused."""
    invitation = Invitation.objects.with_token(token).select_related("person", "board").first()
    if invitation is None or not invitation.is_pending:
        return render(request, "boards/setup/invitation_invalid.html", status=404)
    # Unsaved: the validators compare the password with the person's name and e-mail.
    user = get_user_model()(
        username=invitation.email, email=invitation.email, first_name=invitation.person.name
    )
    form = SetPasswordForm(user, request.POST or None)
    # The rules as a list, without the empty line of a validator that only has a hook.
    form.fields["new_password1"].help_text = format_html(
        "<ul>{}</ul>",
        format_html_join("", "<li>{}</li>", ((t,) for t in password_validators_help_texts() if t)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                invitation=invitation, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome, {invitation.person.display_name}.")
            return redirect(invitation.board)
    return render(
        request,
        "boards/setup/invitation_accept.html",
        {"form": form, "invitation": invitation},
        status=400 if form.errors else 200,
    )


# --- memberships -----------------------------------------------------------------------


@login_required
def members(request, slug):
    board = _managed_board(request, slug)
    # Current members first (on every database); chair first, observers last, as in
    # Membership.Role.
    rank = Case(
        *(When(role=role, then=Value(i)) for i, role in enumerate(Membership.Role.values)),
        output_field=IntegerField(),
    )
    memberships = board.memberships.select_related(
        "person__organisation", "representing", "deputy"
    ).order_by(F("ended_on").asc(nulls_first=True), rank, "person__name")
    return _page(request, "members", board, "members", memberships=memberships)


def _membership_form_page(request, board, membership=None):
    initial = {}
    if membership is not None:
        fields = ("person", "role", "representing", "started_on", "ended_on", "deputy")
        initial = {f: getattr(membership, f) for f in fields}
    form = forms.MembershipForm(
        request.POST or None,
        initial=initial,
        people=_people(board),
        organisations=_organisations(board),
    )
    if membership is not None:
        form.fields["person"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.save_membership(board=board, membership=membership, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['person']}'s membership is saved.")
            return redirect("boards:members", board.slug)
    return _page(
        request,
        "membership_form",
        board,
        "members",
        status=400 if form.errors else 200,
        form=form,
        membership=membership,
    )


@login_required
def membership_new(request, slug):
    return _membership_form_page(request, _managed_board(request, slug))


@login_required
def membership_edit(request, slug, pk):
    board = _managed_board(request, slug)
    membership = get_object_or_404(Membership.objects.filter(board=board), pk=pk)
    return _membership_form_page(request, board, membership)


# --- many people at once -----------------------------------------------------------------


@login_required
def people_import(request, slug):
    """Upload → a preview naming each bad row and why → confirm. The preview carries the
    file's text in the form, so nothing is stored until the secretary confirms."""
    board = _managed_board(request, slug)
    form = forms.PeopleUploadForm(request.POST or None, request.FILES or None)
    rows, text, error = None, "", ""
    if request.method == "POST" and "confirm" in request.POST:
        try:
            saved = services.import_people(board=board, text=request.POST.get("text", ""))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"{saved} people added to {board.name}.")
            return redirect("boards:members", board.slug)
    elif request.method == "POST" and form.is_valid():
        try:
            text = read_upload(form.cleaned_data["file"])
            rows = check_rows(board=board, dataset=read_people(text=text))
        except UnreadableFile as exc:
            form.add_error("file", " ".join(exc.messages))
    if request.method == "POST" and "confirm" not in request.POST:
        form = forms.PeopleUploadForm() if rows is not None else form
    return _page(
        request,
        "people_import",
        board,
        "import",
        status=400 if error or (request.method == "POST" and rows is None) else 200,
        form=form,
        rows=rows,
        text=text,
        error=error,
        good=sum(1 for row in rows if not row.errors) if rows else 0,
        bad=sum(1 for row in rows if row.errors) if rows else 0,
    )
