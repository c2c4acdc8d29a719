from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from boards.models import Board
from boards.permissions import Perm, require
from meetings.models import AgendaItem, Meeting

from .models import Action


@login_required
def my_actions(request):
    return HttpResponse("My actions")


@login_required
def action_detail(request, pk):
    action = get_object_or_404(Action.objects.select_related("item__meeting__board"), pk=pk)
    require(request.user, Perm.VIEW_CONFIDENTIAL, action.board)
    return HttpResponse(action.text)


@login_required
def action_log(request, slug):
    board = get_object_or_404(Board, slug=slug)
    require(request.user, Perm.VIEW_CONFIDENTIAL, board)
    return HttpResponse("Action log")


@login_required
def item_actions(request, pk):
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__board"), pk=pk)
    require(request.user, Perm.VIEW, item.meeting.board)
    return HttpResponse("")


@login_required
def matters_arising(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("board"), pk=pk)
    require(request.user, Perm.VIEW, meeting.board)
    return HttpResponse("")
