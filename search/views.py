from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def search(request):
    return HttpResponse("Search is coming.")


@login_required
def thread(request, pk):
    return HttpResponse("Threads are coming.")
