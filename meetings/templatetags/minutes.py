"""Minutes text as secretaries type it: blank lines part paragraphs, "- " starts a bullet."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()
_BULLET = re.compile(r"^\s*(?:[-•*])\s+")


@register.filter
def minutes_html(text: str) -> str:
    """Paragraphs and bullet lists, everything else escaped."""
    blocks = []
    for block in re.split(r"\n\s*\n", (text or "").strip()):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        lead = [line for line in lines if not _BULLET.match(line)]
        bullets = [_BULLET.sub("", line) for line in lines if _BULLET.match(line)]
        first_bullet = next((i for i, line in enumerate(lines) if _BULLET.match(line)), None)
        if first_bullet is None:
            blocks.append(f"<p>{'<br>'.join(escape(line) for line in lines)}</p>")
            continue
        heading = lines[:first_bullet]
        if heading:
            blocks.append(f"<p>{'<br>'.join(escape(line) for line in heading)}</p>")
        items = "".join(f"<li>{escape(b)}</li>" for b in bullets)
        blocks.append(f"<ul>{items}</ul>")
        # text after the list within the same block (rare) keeps its place after it
        trailing = [line for line in lead if line not in heading]
        if trailing:
            blocks.append(f"<p>{'<br>'.join(escape(line) for line in trailing)}</p>")
    return mark_safe("".join(blocks))


@register.filter
def decision_html(text: str) -> str:
    """A decision or action as typed: one line stays inline beside its number, as in the
    printed minutes; pasted bullets and line breaks keep their shape (minutes_html)."""
    text = (text or "").strip()
    if "\n" not in text and not _BULLET.match(text):
        return escape(text)
    return mark_safe(f'<div class="text-blocks">{minutes_html(text)}</div>')


@register.filter
def full_stop(text: str) -> str:
    """The text ending in one full stop: "Influence." stays "Influence.", never "Influence.."."""
    text = str(text or "").rstrip()
    return text if not text or text[-1] in ".!?" else f"{text}."


@register.filter
def other_names(people, name: str) -> list[str]:
    """Display names of the people besides the one named: "(with A, B)" and no stray comma."""
    return [p.display_name for p in people if p.display_name != name]
