from django.template.defaultfilters import truncatechars

from boards.templatetags.text import clip


def test_clip_is_truncatechars():
    for text in ["", "Short", "x" * 160, "Report back on the data sharing protocol " * 6]:
        for length in (10, 160):
            assert clip(text, length) == truncatechars(text, length)
