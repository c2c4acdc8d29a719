from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from boards.permissions import Perm, can, reach_of, require
from meetings.models import AgendaItem

from . import fulltext, services, threads
from .forms import LinkForm, SearchForm

PER_PAGE = 20


@login_required
def search(request):
    """Hits from the boards the user may read; confidential ones only where they may."""
    reach = reach_of(request.user)
    form = SearchForm(request.GET or None, reach=reach)
    page = hits = None
    more = False
    if form.is_valid() and form.cleaned_data["q"].strip():
        filters = form.filters()
        refs = fulltext.find(reach=reach, filters=filters)
        more = len(refs) > fulltext.MAX_HITS
        page = Paginator(refs[: fulltext.MAX_HITS], PER_PAGE).get_page(request.GET.get("page"))
        hits = fulltext.load(list(page.object_list), text=filters.text)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "page": page,
            "hits": hits,
            "more": more,
            "query_string": query.urlencode(),
            "postgres": fulltext.uses_postgres(),
        },
    )


@login_required
def thread(request, pk):
    """A matter's history across meetings; secretaries link it to an earlier item."""
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__board"), pk=pk)
    board = item.meeting.board
    require(request.user, Perm.VIEW, board)
    reach = reach_of(request.user)
    if not reach.sees(item):
        raise Http404("No such item.")
    form = None
    if can(request.user, Perm.EDIT_MEETINGS, board):
        candidates = threads.link_candidates(item=item, reach=reach)
        form = LinkForm(
            request.POST or None, candidates=candidates, initial={"follows": item.follows_id}
        )
        if request.method == "POST" and form.is_valid():
            try:
                follows = form.cleaned_data["follows"]
                services.link_item(item=item, follows=follows, by=request.user)
            except services.ThreadError as error:
                form.add_error("follows", str(error))
            else:
                messages.success(request, "The thread is updated.")
                return redirect("search:thread", pk=item.pk)
    elif request.method == "POST":
        require(request.user, Perm.EDIT_MEETINGS, board)
    return render(
        request,
        "search/thread.html",
        {
            "item": item,
            "board": board,
            "thread": threads.matter_thread(item=item, reach=reach),
            "form": form,
        },
    )
