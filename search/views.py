from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from . import fulltext
from .access import reach_of
from .forms import SearchForm

PER_PAGE = 20


@login_required
def search(request):
    """Hits from the boards the user may read; confidential ones only where they may."""
    reach = reach_of(request.user)
    form = SearchForm(request.GET or None, reach=reach)
    page = hits = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        filters = form.filters()
        page = Paginator(fulltext.find(reach=reach, filters=filters), PER_PAGE).get_page(
            request.GET.get("page")
        )
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
            "query_string": query.urlencode(),
            "postgres": fulltext.uses_postgres(),
        },
    )


@login_required
def thread(request, pk):
    from django.http import HttpResponse

    return HttpResponse("Threads are coming.")
