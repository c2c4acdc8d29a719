"""Members' replies to an invitation and their proposed corrections to draft minutes, and
the secretary's side of both (thin views: parse, check, one call, render)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from boards.models import Person
from boards.permissions import Perm, reach_of, require, require_visible

from . import mail, responses, services
from .forms import DecideProposalForm
from .models import AmendmentProposal, Meeting, MeetingReply
from .views import _errors, _item, _meeting


def _person(request) -> Person | None:
    return Person.objects.filter(user_id=request.user.pk).first()


class ApologiesForm(forms.Form):
    substitute = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="Substitute (optional)",
        help_text="Someone from the partnership who will attend in your place.",
    )

    def __init__(self, *args, meeting, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substitute"].queryset = responses.substitute_choices(meeting, person)


# --- replying by the e-mail's link (no sign-in: the signed link is the credential) -------


@require_http_methods(["GET", "POST"])
def reply_by_link(request, response, token):
    """GET asks to confirm (mail scanners follow links); POST records the reply once."""
    found = mail.read_reply_token(token, response) if response in MeetingReply.Response else None
    if found is None:
        return render(request, "meetings/reply.html", {"broken": True}, status=404)
    meeting = get_object_or_404(Meeting.objects.select_related("board"), pk=found[0])
    person = get_object_or_404(Person, pk=found[1])
    # Bound on any POST: the attend form has no fields, so its POST is empty.
    data = request.POST if request.method == "POST" else None
    form = ApologiesForm(data, meeting=meeting, person=person)
    context = {"meeting": meeting, "person": person, "response": response, "form": form}
    done = MeetingReply.objects.filter(meeting=meeting, person=person).first()
    if request.method == "POST" and form.is_valid():
        try:
            done = responses.record_reply(
                meeting=meeting,
                person=person,
                response=response,
                substitute=form.cleaned_data["substitute"],
                via=MeetingReply.Via.LINK,
            )
            return render(request, "meetings/reply.html", context | {"reply": done})
        except ValidationError as exc:
            return render(request, "meetings/reply.html", context | {"refused": _errors(exc)})
    if done is not None:
        context["refused"] = (
            "You have already replied to this meeting. To change your reply, sign in and "
            "use the meeting's page."
        )
    elif not responses.replying_open(meeting):
        context["refused"] = "Replies to this meeting are closed."
    return render(request, "meetings/reply.html", context)


# --- replying on the meeting page -----------------------------------------------------


@login_required
@require_POST
def reply_on_page(request, pk):
    meeting = _meeting(request, pk, Perm.VIEW)
    person = _person(request)
    if person is None:
        messages.error(request, "Your sign-in is not linked to a person on this board.")
        return redirect(meeting)
    form = ApologiesForm(request.POST, meeting=meeting, person=person)
    if form.is_valid():
        try:
            reply = responses.record_reply(
                meeting=meeting,
                person=person,
                response=request.POST.get("response", ""),
                substitute=form.cleaned_data["substitute"],
                via=MeetingReply.Via.PAGE,
            )
            messages.success(request, f"Your reply is recorded: {reply.get_response_display()}.")
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    else:
        messages.error(request, "Choose a substitute from the list, or none.")
    return redirect(meeting)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_cancel(request, pk):
    """Cancelling e-mails everyone invited, so it is asked for first (GET) and done only
    from the confirmation (POST)."""
    meeting = _meeting(request, pk)
    if request.method == "GET":
        return render(
            request,
            "meetings/cancel.html",
            {
                "meeting": meeting,
                "board": meeting.board,
                "told": meeting.mails.values("person").distinct().count(),
            },
        )
    try:
        services.cancel_meeting(meeting=meeting, by=request.user)
        messages.success(request, "The meeting is cancelled; those invited are told.")
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("meetings:edit", meeting.pk)


# --- proposed corrections -----------------------------------------------------------------


class ProposalForm(forms.Form):
    text = forms.CharField(
        label="The minutes as they should read", widget=forms.Textarea(attrs={"rows": 10})
    )


@login_required
@require_http_methods(["GET", "POST"])
def amendment_propose(request, pk):
    """A member edits a copy of an item's draft minutes and sends it as a proposal."""
    item = _item(request, pk, Perm.PROPOSE_AMENDMENTS)
    require_visible(request.user, reach_of(request.user).sees(item), item.meeting.board)
    person = _person(request)
    form = ProposalForm(request.POST or None, initial={"text": item.minutes})
    if request.method == "POST" and form.is_valid() and person is not None:
        try:
            responses.propose_amendment(item=item, proposer=person, text=form.cleaned_data["text"])
            messages.success(request, "Your correction is sent to the secretary.")
            return redirect(item.meeting)
        except ValidationError as exc:
            form.add_error("text", _errors(exc))
    mine = AmendmentProposal.objects.filter(item=item, proposer=person) if person else []
    return render(
        request,
        "meetings/propose.html",
        {"item": item, "meeting": item.meeting, "board": item.meeting.board, "form": form,
         "mine": mine, "open": item.meeting.status in responses.DRAFT_STATUSES},
    )  # fmt: skip


@login_required
def amendment_proposals(request, pk):
    """The secretary's list: each proposal as a redline against the text it corrected."""
    meeting = _meeting(request, pk)
    proposals = list(
        AmendmentProposal.objects.filter(item__meeting=meeting)
        .select_related("item", "proposer", "decided_by")
        .order_by("status", "item__order", "created_at")
    )
    conflicts = responses.conflicting(proposals)
    rows = [(p, responses.redline(p.base_text, p.text), p.pk in conflicts) for p in proposals]
    return render(
        request,
        "meetings/proposals.html",
        {"meeting": meeting, "board": meeting.board, "rows": rows},
    )


@login_required
@require_POST
def amendment_decide(request, pk):
    proposal = get_object_or_404(
        AmendmentProposal.objects.select_related("item__meeting__board"), pk=pk
    )
    meeting = proposal.item.meeting
    require(request.user, Perm.EDIT_MEETINGS, meeting.board)
    by = _person(request)
    form = DecideProposalForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("meetings:proposals", meeting.pk)
    note = form.cleaned_data["note"]
    try:
        if form.cleaned_data["decision"] == "accept":
            responses.accept_amendment(proposal=proposal, by=by, user=request.user, note=note)
            messages.success(request, "The correction is applied to the minutes.")
        else:
            responses.reject_amendment(proposal=proposal, by=by, note=note)
            messages.success(request, "The correction is rejected; the proposer is told.")
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("meetings:proposals", meeting.pk)
