"""The board's action log as a PDF, for the chair to take into the meeting."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404

from boards.models import Board
from boards.permissions import Perm, require
from meetings.pdf_views import pdf_response

from . import pdf


@login_required
def action_log_pdf(request, slug):
    board = get_object_or_404(Board, slug=slug)
    require(request.user, Perm.VIEW, board)
    return pdf_response(request, pdf.action_log_pdf(board, request.user))
