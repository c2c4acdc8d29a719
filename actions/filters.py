"""The board action log's filters; the page and its CSV/XLSX exports share them."""

import django_filters
import django_filters.constants
from django import forms
from django.db.models import Q
from django.utils import timezone

from boards.models import Organisation, Person
from boards.widgets import QuickSelect

from . import record_cache
from .models import Action
from .selectors import LOG_ORDER, due_order, due_sort_descending, start_of_day


class LogOrdering(django_filters.OrderingFilter):
    """The log's sorts, each ending in the log's own order (so pages are stable), and the
    due date as selectors.due_order defines it."""

    def filter(self, qs, value):
        descending = due_sort_descending(value)
        if descending is not None:
            return qs.order_by(*due_order(descending=descending))
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        return qs.order_by(*(self.get_ordering_value(param) for param in value), *LOG_ORDER)


# The meeting filter offers this many of the board's latest meetings: two years of monthly
# meetings.
OFFERED_MEETINGS = 24


class ActionLogFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Action.Status.choices, empty_label="Any status", label="Status", widget=QuickSelect
    )
    owner = django_filters.ChoiceFilter(
        choices=(),
        method="filter_owner",
        label="Owner",
        empty_label="Anyone",
        widget=QuickSelect,
    )
    organisation = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.none(),
        method="filter_organisation",
        label="Organisation",
        empty_label="Any organisation",
        widget=QuickSelect,
    )
    # Plain (id, date) choices of the board's latest OFFERED_MEETINGS (and a chosen older
    # one): a decade of meetings is two hundred options, which grew the page 2.6 times
    # over, and an older meeting's actions are listed on that meeting's own page.
    meeting = django_filters.ChoiceFilter(
        field_name="item__meeting_id",
        choices=(),
        label="Meeting",
        empty_label="Any meeting",
        widget=QuickSelect,
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label="Overdue only",
        widget=forms.CheckboxInput,
    )
    sort = LogOrdering(
        label="Sort by",
        empty_label="Newest meeting first",
        widget=QuickSelect,
        fields=(
            ("item__meeting__starts_at", "meeting"),
            ("due_sort", "due"),
            ("status", "status"),
            ("text", "action"),
        ),
        # django-filter names an ascending choice by its field, a descending one by "-" and
        # its parameter; a descending label missing here is shown as "<label> (descending)".
        field_labels={
            "item__meeting__starts_at": "Meeting (oldest first)",
            "-meeting": "Meeting (newest first)",
            "due_sort": "Due date (soonest first)",
            "-due": "Due date (latest first)",
            "status": "Status (done, dropped, open)",
            "-status": "Status (open, dropped, done)",
            "text": "Action (A–Z)",
            "-action": "Action (Z–A)",
        },
    )

    class Meta:
        model = Action
        fields = ["status", "owner", "organisation", "meeting", "overdue"]

    def __init__(self, data=None, *args, board, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.board = board
        # Anyone who sits or sat on the board, and anyone (an officer, say) holding one of
        # its open actions: a list bounded by the membership and the open actions, not by a
        # decade of closed ones. A chosen owner stays on the list.
        open_owners = Action.owners.through.objects.filter(
            action__in=Action.objects.open().filter(board=board)
        ).values("person")
        # Worked out once, as plain values: the owners' names and their organisations;
        # kept until the record changes, as it reads every open action of the board.
        people = record_cache.log_owners(
            board,
            lambda: list(
                Person.objects.filter(Q(memberships__board=board) | Q(pk__in=open_owners))
                .order_by("name", "pk")
                .values_list("pk", "title", "name", "organisation_id")
                .distinct()
            ),
        )
        people = self._with_chosen(
            "owner", people, Person.objects.values_list("pk", "title", "name", "organisation_id")
        )
        self.filters["owner"].extra["choices"] = [
            (pk, Person.format_name(title, name)) for pk, title, name, _org in people
        ]
        self.filters["organisation"].queryset = Organisation.objects.filter(
            pk__in={org for *_person, org in people}
        ).order_by("name")
        meetings = board.meetings.order_by("-starts_at", "-pk").values_list("pk", "starts_at")
        offered = self._with_chosen("meeting", list(meetings[:OFFERED_MEETINGS]), meetings)
        self.filters["meeting"].extra["choices"] = [
            (pk, f"{timezone.localtime(starts_at):%-d %B %Y}") for pk, starts_at in offered
        ]

    def _with_chosen(self, name: str, offered: list, rows) -> list:
        """The offered (pk, ...) rows, and the one chosen in filter `name` when a shortened
        list left it out: a link to the log with it chosen still shows it chosen."""
        chosen = str(self.data.get(name, ""))
        if chosen.isdigit() and int(chosen) not in {pk for pk, *_rest in offered}:
            return [*offered, *rows.filter(pk=chosen)]
        return offered

    def narrows(self) -> bool:
        """Whether any filter (not the sort) leaves out actions: if not, the log is every
        action of the board the user may see."""
        if not self.is_valid():
            return True
        return any(
            v not in (None, "", False) for k, v in self.form.cleaned_data.items() if k != "sort"
        )

    def filter_owner(self, queryset, name, value):
        """A named owner, or every action the whole board owns while they are a member."""
        return queryset.filter(
            Q(owners=value) | Q(whole_board=True, board__memberships__person=value)
        ).distinct()

    def filter_organisation(self, queryset, name, value):
        return queryset.filter(owners__organisation=value).distinct()

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        today = timezone.localdate()
        start = start_of_day(today)
        return queryset.filter(status=Action.Status.OPEN).filter(
            Q(due_on__lt=today) | Q(due_on__isnull=True, next_meeting_at__lt=start)
        )


SORTABLE = {"meeting": "Meeting", "action": "Action", "due": "Due", "status": "Status"}


def sort_columns(params) -> dict[str, dict]:
    """Column headers that sort the log: each links to ascending, or descending when the
    log is already sorted by it ascending; aria-sort tells screen readers the current order."""
    current = params.get("sort", "")
    columns = {}
    for key, label in SORTABLE.items():
        query = params.copy()
        query.pop("page", None)
        query["sort"] = f"-{key}" if current == key else key
        columns[key] = {
            "label": label,
            "url": f"?{query.urlencode()}",
            "aria_sort": "ascending"
            if current == key
            else "descending"
            if current == f"-{key}"
            else "",
        }
    return columns
