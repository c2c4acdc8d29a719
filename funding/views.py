from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from boards.models import Board
from boards.permissions import Perm, perms_on, require
from meetings.models import Decision

from .models import Bid, Fund


@login_required
def fund_detail(request, pk):
    fund = get_object_or_404(Fund.objects.select_related("board"), pk=pk)
    require(request.user, Perm.VIEW, fund.board)
    return render(request, "funding/fund_detail.html", {"fund": fund, "board": fund.board})


@login_required
def bid_detail(request, pk):
    bid = get_object_or_404(Bid.objects.select_related("board"), pk=pk)
    require(request.user, Perm.VIEW, bid.board)
    return render(request, "funding/bid_detail.html", {"bid": bid, "board": bid.board})


@login_required
def allocate(request, pk):
    decision = get_object_or_404(Decision.objects.select_related("item__meeting__board"), pk=pk)
    board = decision.item.meeting.board
    require(request.user, Perm.ALLOCATE, board)
    return render(request, "funding/allocate.html", {"decision": decision, "board": board})


@login_required
def board_panel(request, slug):
    board = get_object_or_404(Board, slug=slug)
    require(request.user, Perm.VIEW, board)
    return render(
        request,
        "funding/board_panel.html",
        {"board": board, "perms": perms_on(request.user, board), "funds": board.funds.all()},
    )
