from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse

register = template.Library()

# An id no row has: reversed once, then replaced by the real one.
_SENTINEL = 987654321


@lru_cache(maxsize=512)
def _pattern(name: str, prefix: str) -> str:
    return reverse(name, args=[_SENTINEL])


@register.simple_tag
def pk_url(name: str, pk) -> str:
    """`{% url name pk %}` for a URL whose one argument is an id, reversed once a process:
    the meeting screen links each of 80 items a dozen times, and a reverse costs 0.1 ms."""
    return _pattern(name, get_script_prefix()).replace(str(_SENTINEL), str(int(pk)), 1)
