"""The growing lists page by a cursor (keyset): the next page starts after the last id
shown, so the thousandth page costs what the first does (an offset makes the database
walk every row before it). Newest recorded first; ids are unique and never change."""

from rest_framework.pagination import CursorPagination


class NewestFirst(CursorPagination):
    ordering = "-pk"
    page_size = 50
