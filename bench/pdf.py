"""The minutes PDF's figures for `make bench`: render times, layouts, a ten-times meeting,
other renderers for comparison, and memory over many renders."""

import gc
import os
import re
import shutil
import subprocess
import tempfile
import time
import tracemalloc
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from meetings.models import Meeting
from meetings.pdf import StaticFileFetcher, build_minutes_pdf, html_to_pdf, minutes_document


def _timed(fn, repeat: int = 1) -> float:
    """Best wall-clock seconds of `repeat` runs: the least disturbed by other processes."""
    return _timings(fn, repeat)[0]


def _timings(fn, repeat: int = 1) -> tuple[float, float]:
    """Best (wall, CPU) seconds: CPU time still compares layouts on a busy machine."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return wall, cpu


def _as_grid(html: str, column: str) -> str:
    """The same minutes with each row laid out as a CSS grid instead of a table row."""
    html = re.sub(r'<table class="item([^"]*)"', r'<div class="item grid\1"', html)
    html = re.sub(r"</?(thead|tbody)>", "", html.replace("</table>", "</div>"))
    html = re.sub(r'<tr class="', '<div class="row ', html).replace("<tr>", '<div class="row">')
    html = re.sub(r"<t[hd]( [^>]*)?>", lambda m: f"<div{m.group(1) or ''}>", html)
    html = re.sub(r"</t[hd]>|</tr>", "</div>", html)
    css = (
        ".item.grid .row { display: grid; grid-template-columns: 9mm COLUMN 34mm;"
        " break-inside: avoid } .item.grid { margin-bottom: 4mm }"
    ).replace("COLUMN", column)
    return html.replace("</head>", f"<style>{css}</style></head>")


def _longer(html: str, times: int) -> str:
    """A meeting `times` as long: every item's table repeated."""
    start, end = html.index('<table class="item'), html.rindex("</table>") + len("</table>")
    copy = re.sub(r' id="item-[^"]*"', "", html[start:end])  # anchors stay unique
    return html[:start] + html[start:end] + copy * (times - 1) + html[end:]


def _soffice_seconds(html: str) -> float | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return None
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "minutes.html"
        source.write_text(html)
        profile = f"-env:UserInstallation=file://{folder}/profile"  # cold: a fresh profile
        start = time.perf_counter()
        subprocess.run(
            [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", folder, source],
            check=True,
            capture_output=True,
            timeout=300,
        )
        return time.perf_counter() - start


def _chromium_warm_seconds(html: str) -> float | None:
    """A warm headless Chromium print of the same HTML, static files served from disk."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        return None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    fetcher = StaticFileFetcher()

    def serve_static(route):
        if urlsplit(route.request.url).path == "/":
            return route.fulfill(body=html, content_type="text/html; charset=utf-8")
        try:
            response = fetcher.fetch("file://" + urlsplit(route.request.url).path)
        except Exception:
            return route.abort()
        return route.fulfill(body=response.read(), content_type=response.content_type)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page()
        page.route("**/*", serve_static)

        def render():
            page.goto("http://minutebook.invalid/")  # intercepted: never leaves the machine
            page.pdf(format="A4")

        render()  # warm
        seconds = _timed(render, repeat=3)
        browser.close()
    return seconds


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def bench(meeting: Meeting, *, renders: int = 100, repeat: int = 3) -> dict:
    """Timings of the minutes PDF for `make bench`: seconds, ratios and megabytes."""
    from pypdf import PdfReader

    document = minutes_document(meeting, public=False)
    html = document.html
    html_to_pdf(html)  # warm: fonts, CSS parser, imports
    fresh = _timed(lambda: html_to_pdf(minutes_document(meeting, public=False).html), repeat)
    build_minutes_pdf(meeting, public=False)  # now cached

    def cached_export():
        built = build_minutes_pdf(meeting, public=False)
        assert not built.fresh
        built.read()

    cached = _timed(cached_export, repeat * 3)
    layouts = {
        "table": _timings(lambda: html_to_pdf(html), repeat),
        "grid_1fr": _timings(lambda: html_to_pdf(_as_grid(html, "1fr")), repeat),
        "grid_minmax_0_1fr": _timings(
            lambda: html_to_pdf(_as_grid(html, "minmax(0, 1fr)")), repeat
        ),
    }
    long_html = _longer(html, 10)
    long_meeting, long_meeting_cpu = _timings(lambda: html_to_pdf(long_html), 1)
    soffice = _soffice_seconds(html)
    chromium = _chromium_warm_seconds(html)

    gc.collect()
    rss_before = _rss_bytes()
    for _ in range(renders):
        html_to_pdf(html)
    gc.collect()
    rss_growth = _rss_bytes() - rss_before
    # tracemalloc slows Python down severalfold: it watches a tenth of the renders
    tracemalloc.start()
    traced_before = tracemalloc.get_traced_memory()[0]
    for _ in range(max(renders // 10, 1)):
        html_to_pdf(html)
    gc.collect()
    traced_growth = tracemalloc.get_traced_memory()[0] - traced_before
    tracemalloc.stop()
    mb = 1024 * 1024
    return {
        "meeting": str(meeting),
        "pages": len(PdfReader(BytesIO(html_to_pdf(html))).pages),
        "fresh_render_s": round(fresh, 3),
        "cached_export_s": round(cached, 4),
        "layout_s": {name: round(wall, 3) for name, (wall, _) in layouts.items()},
        "layout_cpu_s": {name: round(cpu, 3) for name, (_, cpu) in layouts.items()},
        "layout_chosen": "table",
        "long_meeting_10x_s": round(long_meeting, 3),
        "long_meeting_10x_ratio": round(long_meeting_cpu / layouts["table"][1], 2),
        "soffice_cold_s": round(soffice, 3) if soffice else None,
        "fresh_vs_soffice_ratio": round(fresh / soffice, 2) if soffice else None,
        "chromium_warm_s": round(chromium, 3) if chromium else None,
        "cached_vs_chromium_ratio": round(cached / chromium, 3) if chromium else None,
        "renders": renders,
        "memory_growth_mb": round(max(rss_growth, 0) / mb, 1),
        "python_heap_growth_mb": round(traced_growth / mb, 2),
        "python_heap_renders": max(renders // 10, 1),
    }
