from django.template import Context, Template
from django.urls import reverse, set_script_prefix


def _render(source: str, **context) -> str:
    return Template("{% load paths %}" + source).render(Context(context))


def test_it_gives_the_url_reverse_gives_for_each_id():
    for pk in (1, 7, 987654321, 12345):
        assert _render("{% pk_url 'meetings:item_minutes' pk %}", pk=pk) == reverse(
            "meetings:item_minutes", args=[pk]
        )
    assert _render("{% pk_url 'meetings:edit' 3 as u %}<{{ u }}>") == "</meetings/3/edit/>"


def test_it_follows_the_script_prefix_of_a_site_served_under_a_path():
    try:
        set_script_prefix("/minutebook/")
        assert _render("{% pk_url 'meetings:edit' 3 %}") == "/minutebook/meetings/3/edit/"
    finally:
        set_script_prefix("/")
