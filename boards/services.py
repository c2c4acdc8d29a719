"""Every write to a partnership's set-up: boards, organisations, people, memberships and
invitations, one transaction each. The installation's staff create a partnership's top
board and name its secretary; from then on its secretary and chair do the rest."""

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from .models import Board, Invitation, Membership, Organisation, Person, hash_token
from .people_import import check_rows, read_people

# Addresses under /boards/ that a board's slug must not take.
RESERVED_SLUGS = {"new", "invitation"}
INVITATION_DAYS = 14


class SetupError(ValidationError):
    """A set-up rule was broken; the message says which, in the secretary's words."""


@transaction.atomic
def stop_reminders(*, person: Person) -> None:
    """A person who unsubscribes gets no reminder of any kind until they turn one back on."""
    person.save(update_fields=person.stop_reminders())


# --- boards ----------------------------------------------------------------------------


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "board"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Board.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_board(
    *,
    name: str,
    short_name: str = "",
    parent: Board | None = None,
    secretary: Person | None = None,
    secretary_name: str = "",
    secretary_email: str = "",
    by=None,
) -> Board:
    """A partnership's top board is created by the installation's staff, who name its
    secretary (found by e-mail, or added) and invite them; a sub-board is created under a
    board by its secretary or chair, with a secretary of the partnership. Either way the
    new board has a secretary who can sign in to run it."""
    board = Board.objects.create(
        name=name.strip(), short_name=short_name.strip(), slug=_unique_slug(name), parent=parent
    )
    if secretary is None:
        email = secretary_email.strip()
        if not secretary_name.strip() or not email:
            raise SetupError("Name the board's secretary and give their e-mail.")
        secretary = Person.objects.filter(email__iexact=email).first() or Person.objects.create(
            name=secretary_name.strip(), email=email, added_for=board
        )
    elif (
        parent is not None
        and not Person.objects.of_partnership(parent).filter(pk=secretary.pk).exists()
    ):
        raise SetupError("The secretary must be one of the partnership's people.")
    Membership.objects.create(
        board=board,
        person=secretary,
        role=Membership.Role.SECRETARY,
        representing=secretary.organisation,
    )
    board.secretary = secretary
    board.save(update_fields=["secretary"])
    if secretary.user_id is None and secretary.email:
        invite_person(person=secretary, board=board, by=by)
    return board


def allowed_parents(board: Board):
    """The boards this one may report to: its partnership's, never itself or one below it
    (a board cannot report to its own sub-board)."""
    below = {board.pk}
    frontier = {board.pk}
    while frontier:
        frontier = set(
            Board.objects.filter(parent__in=frontier)
            .exclude(pk__in=below)
            .values_list("pk", flat=True)
        )
        below |= frontier
    return Board.objects.partnership_of(board).exclude(pk__in=below)


@transaction.atomic
def update_board(*, board: Board, changes: dict) -> Board:
    """A board's settings are changed by its secretary or chair; it may report only to a
    board of its own partnership that is not below it."""
    parent = changes.get("parent")
    if parent is not None and not allowed_parents(board).filter(pk=parent.pk).exists():
        raise SetupError(f"{board} cannot report to {parent}.")
    for field, value in changes.items():
        setattr(board, field, value)
    board.full_clean()
    board.save(update_fields=list(changes))
    return board


# --- organisations ---------------------------------------------------------------------


@transaction.atomic
def save_organisation(
    *,
    board: Board,
    organisation: Organisation | None = None,
    name: str,
    short_name: str = "",
    sector: str = Organisation.Sector.PUBLIC,
) -> Organisation:
    """An organisation is one body however many partnerships it sits on: adding one whose
    name is already known lists that one for this partnership, never a second copy."""
    name = name.strip()
    same_name = Organisation.objects.filter(name__iexact=name)
    if organisation is None:
        organisation = same_name.first() or Organisation(name=name)
    elif same_name.exclude(pk=organisation.pk).exists():
        raise SetupError(f"Another organisation is already called {name}: merge the two.")
    organisation.name, organisation.short_name, organisation.sector = (
        name,
        short_name.strip(),
        sector,
    )
    organisation.full_clean(validate_unique=False)
    organisation.save()
    organisation.listed_for.add(board)
    return organisation


@transaction.atomic
def merge_organisations(
    *, board: Board, keep: Organisation, duplicate: Organisation
) -> Organisation:
    """Two records of one organisation become one: everything that pointed at the
    duplicate points at the kept one (every relation the models have, found from
    `_meta`, so a new one is never missed), then the duplicate is deleted. Both must be
    of the board's partnership."""
    if keep.pk == duplicate.pk:
        raise SetupError("Choose two different organisations to merge.")
    ours = Organisation.objects.of_partnership(board)
    if ours.filter(pk__in=[keep.pk, duplicate.pk]).count() != 2:
        raise SetupError("Both organisations must be of this partnership.")
    for relation in Organisation._meta.related_objects:
        if relation.many_to_many:
            through = relation.through
            ours_field = relation.field.m2m_reverse_field_name()
            theirs_field = relation.field.m2m_field_name()
            already = through.objects.filter(**{ours_field: keep}).values(theirs_field)
            rows = through.objects.filter(**{ours_field: duplicate})
            rows.filter(**{f"{theirs_field}__in": already}).delete()
            rows.update(**{ours_field: keep})
        else:
            relation.related_model._base_manager.filter(**{relation.field.name: duplicate}).update(
                **{relation.field.name: keep}
            )
    keep.listed_for.add(*duplicate.listed_for.all())
    if not keep.short_name and duplicate.short_name:
        keep.short_name = duplicate.short_name
        keep.save(update_fields=["short_name"])
    duplicate.delete()
    return keep


# --- people and memberships -----------------------------------------------------------


def _check_email(*, board: Board, email: str, person: Person | None) -> None:
    if not email:
        return
    taken = Person.objects.filter(email__iexact=email)
    if person is not None:
        taken = taken.exclude(pk=person.pk)
    other = taken.first()
    if other is None:
        return
    if Person.objects.of_partnership(board).filter(pk=other.pk).exists():
        raise SetupError(f"{other.display_name} already has the e-mail {email}.")
    raise SetupError(
        f"{email} is someone already in Minutebook on another partnership's board: "
        "ask the installation's admin to add them here."
    )


@transaction.atomic
def save_person(
    *,
    board: Board,
    person: Person | None = None,
    name: str,
    title: str = "",
    email: str = "",
    organisation: Organisation | None = None,
    role_title: str = "",
    left_on: date | None = None,
) -> Person:
    """A person is added to, or changed within, the board's partnership; an e-mail
    belongs to one person in the whole installation."""
    email = email.strip().lower()
    _check_email(board=board, email=email, person=person)
    if person is None:
        person = Person(added_for=board)
    person.name, person.title, person.email = name.strip(), title.strip(), email
    person.organisation, person.role_title, person.left_on = organisation, role_title, left_on
    person.full_clean(exclude=["user", "calendar_token", "added_for"])
    person.save()
    return person


def _sync_officers(board: Board) -> None:
    """The board's chair and secretary are its current members in those roles."""
    current = Membership.objects.current().filter(board=board)
    chair = current.filter(role=Membership.Role.CHAIR).order_by("started_on", "pk").first()
    secretary = current.filter(role=Membership.Role.SECRETARY).order_by("started_on", "pk").first()
    board.chair_id = chair.person_id if chair else None
    board.secretary_id = secretary.person_id if secretary else None
    board.save(update_fields=["chair", "secretary"])


@transaction.atomic
def save_membership(
    *,
    board: Board,
    membership: Membership | None = None,
    person: Person,
    role: str,
    representing: Organisation | None = None,
    started_on: date | None = None,
    ended_on: date | None = None,
    deputy: Person | None = None,
) -> Membership:
    """A membership joins a person of the partnership to the board in one role, from and
    to dates; a standing deputy is another person of the partnership. A person holds one
    open membership of a board at a time; the board's chair and secretary follow them."""
    people = Person.objects.of_partnership(board)
    if membership is None and not people.filter(pk=person.pk).exists():
        raise SetupError(f"{person} is not one of this partnership's people.")
    if deputy is not None:
        if deputy.pk == person.pk:
            raise SetupError("A member cannot be their own deputy.")
        if not people.filter(pk=deputy.pk).exists():
            raise SetupError(f"{deputy} is not one of this partnership's people.")
    if ended_on is None:
        open_ones = Membership.objects.filter(board=board, person=person, ended_on__isnull=True)
        if membership is not None:
            open_ones = open_ones.exclude(pk=membership.pk)
        if open_ones.exists():
            raise SetupError(f"{person} is already a member of {board}: change that membership.")
    membership = membership or Membership(board=board, person=person)
    membership.role, membership.representing, membership.deputy = role, representing, deputy
    membership.started_on, membership.ended_on = started_on, ended_on
    if ended_on and started_on and ended_on < started_on:
        raise SetupError("The membership cannot end before it starts.")
    membership.full_clean(validate_constraints=False)
    membership.save()
    _sync_officers(board)
    return membership


# --- invitations -----------------------------------------------------------------------


def _send_invitation(invitation: Invitation, token: str) -> None:
    context = {
        "invitation": invitation,
        "person": invitation.person,
        "board": invitation.board,
        "url": settings.SITE_URL + reverse("boards:invitation_accept", args=[token]),
    }
    subject = " ".join(render_to_string("emails/invitation-subject.txt", context).split())
    body = render_to_string("emails/invitation-body.txt", context)
    send_mail(subject, body, None, [invitation.email])


@transaction.atomic
def invite_person(*, person: Person, board: Board, by=None) -> Invitation:
    """A person of the partnership with an e-mail and no sign-in yet is sent a link, good
    once and for INVITATION_DAYS days, to choose a password; an earlier link stops
    working. Only the token's hash is kept."""
    if person.user_id is not None:
        raise SetupError(f"{person} can already sign in.")
    if not person.email:
        raise SetupError(f"Give {person}'s e-mail before inviting them.")
    if not Person.objects.of_partnership(board).filter(pk=person.pk).exists():
        raise SetupError(f"{person} is not one of this partnership's people.")
    Invitation.objects.pending().filter(person=person).update(revoked=True)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        person=person,
        board=board,
        email=person.email,
        token_hash=hash_token(token),
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        invited_by=by if getattr(by, "is_authenticated", False) else None,
    )
    transaction.on_commit(lambda: _send_invitation(invitation, token))
    return invitation


@transaction.atomic
def resend_invitation(*, invitation: Invitation, by=None) -> Invitation:
    """A pending invitation is sent again with a new link (the old one stops working:
    only a hash of it was kept, so it cannot be sent twice)."""
    if invitation.accepted_at:
        raise SetupError("This invitation has been accepted already.")
    return invite_person(person=invitation.person, board=invitation.board, by=by)


@transaction.atomic
def revoke_invitation(*, invitation: Invitation) -> None:
    """A revoked invitation's link no longer works; an accepted one cannot be revoked."""
    if invitation.accepted_at:
        raise SetupError("This invitation has been accepted already.")
    invitation.revoked = True
    invitation.save(update_fields=["revoked"])


def _username_for(email: str) -> str:
    User = get_user_model()
    base = email.lower()[:140]
    username, n = base, 1
    while User.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


@transaction.atomic
def accept_invitation(*, invitation: Invitation, password: str):
    """An invitation is accepted once, before it expires: the sign-in it makes belongs to
    the person already on the board (never a second person), with the password they chose."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise SetupError("This invitation link has been used, revoked or has expired.")
    person = Person.objects.select_for_update().get(pk=invitation.person_id)
    if person.user_id is not None:
        raise SetupError(f"{person} can already sign in.")
    User = get_user_model()
    user = User(username=_username_for(invitation.email), email=invitation.email)
    user.first_name = person.name[:150]
    user.set_password(password)
    user.save()
    person.user = user
    person.save(update_fields=["user"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    Invitation.objects.pending().filter(person=person).update(revoked=True)
    return user


# --- many people at once -------------------------------------------------------------


@transaction.atomic
def import_people(*, board: Board, text: str) -> int:
    """A spreadsheet of people and memberships is saved only when the secretary confirms
    its preview; the rows are checked again as they are saved and the bad ones (named in
    the preview) are left out. People first, then memberships, so a deputy may be on a
    later row. Returns how many rows were saved."""
    rows = [
        row for row in check_rows(board=board, dataset=read_people(text=text)) if not row.errors
    ]
    people: dict[int, Person] = {}
    for row in rows:
        organisation = row.organisation
        if organisation is None and row.organisation_name:
            organisation = save_organisation(board=board, name=row.organisation_name)
        row.organisation = organisation
        people[row.number] = row.person or save_person(
            board=board,
            name=row.name,
            title=row.title,
            email=row.email,
            organisation=organisation,
        )
    deputies_only: dict[str, Person] = {}
    for row in rows:
        representing = row.representing
        if representing is None and row.representing_name:
            representing = save_organisation(board=board, name=row.representing_name)
        deputy = row.deputy_person or people.get(row.deputy_row)
        if row.new_deputy:
            key = row.new_deputy.lower()
            if key not in deputies_only:
                deputies_only[key] = save_person(board=board, name=row.new_deputy)
            deputy = deputies_only[key]
        save_membership(
            board=board,
            person=people[row.number],
            role=row.role,
            representing=representing or row.organisation,
            started_on=row.started_on,
            ended_on=row.ended_on,
            deputy=deputy,
        )
    return len(rows)
