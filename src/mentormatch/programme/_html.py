"""Self-contained HTML pages that open from disk and print well on A4.

Everything a page shows is inside the file: styles inline, figures as inline
SVG drawn by matplotlib (text as paths, so no font is fetched), no scripts, no
links to anything outside. Text is escaped.
"""

from __future__ import annotations

import html
import io
from collections.abc import Iterable
from pathlib import Path

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from mentormatch.files import output_path, writing
from mentormatch.programme._texts import Language

__all__ = [
    "figure",
    "new_figure",
    "page",
    "page_path",
    "paragraphs",
    "section",
    "table",
    "write_page",
]

_STYLE = """
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 10.5pt;
       color: #111; max-width: 180mm; margin: 0 auto; line-height: 1.35; }
h1 { font-size: 17pt; margin: 0 0 6pt; }
h2 { font-size: 13pt; margin: 14pt 0 4pt; border-bottom: 1px solid #999; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; margin: 4pt 0; }
th, td { border: 1px solid #bbb; padding: 2pt 4pt; text-align: left; vertical-align: top; }
th { background: #eee; }
tr { break-inside: avoid; }
td.num { text-align: right; white-space: nowrap; }
figure { margin: 6pt 0; break-inside: avoid; }
figure svg { width: 100%; height: auto; }
p.note { color: #444; font-size: 9pt; }
section.sheet { break-after: page; }
section.sheet:last-child { break-after: auto; }
ol li { margin-bottom: 4pt; }
"""


def page(title: str, body: Iterable[str], language: Language) -> str:
    """A whole HTML document: the title as heading, then the body's parts in order.

    Examples
    --------
    >>> text = page("Report <1>", ["<p>x</p>"], "sv")
    >>> text.startswith("<!DOCTYPE html>"), 'lang="sv"' in text, "Report &lt;1&gt;" in text
    (True, True, True)
    """
    head = (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
    )
    return head + f"<h1>{html.escape(title)}</h1>\n" + "\n".join(body) + "\n</body>\n</html>\n"


def section(heading: str, *parts: str) -> str:
    """A heading and its parts (already HTML)."""
    return f"<h2>{html.escape(heading)}</h2>\n" + "\n".join(parts)


def paragraphs(*texts: str, note: bool = False) -> str:
    """Plain texts as escaped paragraphs (``note`` makes them small print); blanks are left out.

    Examples
    --------
    >>> paragraphs("a & b", "")
    '<p>a &amp; b</p>'
    """
    attribute = ' class="note"' if note else ""
    return "\n".join(f"<p{attribute}>{html.escape(t)}</p>" for t in texts if t)


def table(frame: pd.DataFrame, digits: int = 2) -> str:
    """A table with escaped cells; numbers right-aligned with ``digits`` decimals; blanks empty.

    Examples
    --------
    >>> import pandas as pd
    >>> print(table(pd.DataFrame({"who": ["<b>"], "score": [0.123]})))
    <table>
    <thead><tr><th>who</th><th>score</th></tr></thead>
    <tbody>
    <tr><td>&lt;b&gt;</td><td class="num">0.12</td></tr>
    </tbody>
    </table>
    """
    header = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = ["".join(_cell(v, digits) for v in row) for row in frame.itertuples(index=False)]
    body = "\n".join(f"<tr>{r}</tr>" for r in rows)
    return f"<table>\n<thead><tr>{header}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def _cell(value: object, digits: int) -> str:
    if isinstance(value, bool) or value is None or value is pd.NA:
        return f"<td>{'' if value is None or value is pd.NA else html.escape(str(value))}</td>"
    if isinstance(value, int | float):
        shown = "" if value != value else f"{value:,.{digits}f}"  # NaN shows empty
        return f'<td class="num">{shown}</td>'
    return f"<td>{html.escape(str(value))}</td>"


def new_figure(width: float = 7.0, height: float = 4.0) -> Figure:
    """A matplotlib figure of this size in inches, not attached to any GUI backend."""
    return Figure(figsize=(width, height), layout="constrained")


def figure(fig: Figure) -> str:
    """The figure as inline SVG inside ``<figure>``, its text drawn as paths (no fonts needed).

    Examples
    --------
    >>> fig = new_figure(2, 1)
    >>> _ = fig.subplots().plot([0, 1], [1, 0])
    >>> svg = figure(fig)
    >>> svg.startswith("<figure><svg"), "<text" in svg
    (True, False)
    """
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "mentormatch", "svg.fonttype": "path"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    return "<figure>" + svg[svg.index("<svg") :] + "</figure>"


def page_path(path: object, suffix: str = ".html") -> Path:
    """``path`` as a Path when it ends in ``suffix`` (or ``.htm``), else an ``InputError``.

    Examples
    --------
    >>> page_path("report.htm").name
    'report.htm'
    """
    return output_path(path, [suffix, ".htm"])


def write_page(text: str, path: str | Path, suffix: str = ".html") -> Path:
    """Write a page as UTF-8 to ``path``, which must end in ``suffix``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> write_page("<p>x</p>", pathlib.Path(tempfile.mkdtemp()) / "r.pdf")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mentormatch.errors.InputError: argument 'path': expected a file name ending in .html or .htm...
    """
    with writing(page_path(path, suffix)) as target:
        target.write_text(text, encoding="utf-8")
    return target
