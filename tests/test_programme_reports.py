"""The reports people read: their claims, self-contained, and rendered by a real browser.

Each page is rendered by headless Chromium (Debian's ``chromium``, which ``.ci/run`` installs)
to a PNG and to an A4 PDF; a page that does not render fails the test. Only where
Chromium is absent outside CI is the rendering skipped.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import mentormatch as mm
from mentormatch.programme import questions

COHORT = mm.example_cohort()
RESULT = mm.match(COHORT)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # nothing may load from the network
]  # fmt: skip


def evaluation(language: str = "en") -> mm.Evaluation:
    form = mm.evaluation_form(RESULT, language=language)
    rng = np.random.default_rng(0)
    for q in questions():
        column = q.text(language)  # type: ignore[arg-type]
        if q.kind == "rating":
            form[column] = rng.integers(1, 6, len(form))
        else:
            form[column] = ["<script>alert(1)</script> & more"] * len(form)
    plan = mm.plan_programme(RESULT, "2027-02-01", cohort=COHORT)
    return mm.read_evaluation(form, RESULT, plan=plan, n_boot=100)


def self_contained(text: str) -> None:
    assert "<script" not in text.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", text, re.IGNORECASE)
    assert "<link" not in text.lower() and "@import" not in text
    assert "@page { size: A4" in text


def _png_pixels(path: Path) -> tuple[int, int, bytes]:
    """Width, height and raw scan lines of a PNG (8-bit RGB/RGBA), decoded with zlib alone."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    chunks, at = b"", 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        if data[at + 4 : at + 8] == b"IDAT":
            chunks += data[at + 8 : at + 8 + length]
        at += 12 + length
    return width, height, zlib.decompress(chunks)


def render(page: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Render a page to PNG and PDF with headless Chromium; fail if either is not made."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI: .ci/run installs Debian's chromium")
        pytest.skip("Debian's chromium is not installed (bash .ci/run installs it)")
    png, pdf = tmp_path / f"{page.stem}.png", tmp_path / f"{page.stem}.pdf"
    for output in (f"--screenshot={png}", f"--print-to-pdf={pdf}"):
        profile = tempfile.mkdtemp(prefix="chromium-")
        try:
            done = subprocess.run(
                [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--window-size=1000,1400",
                 "--no-pdf-header-footer", output, page.resolve().as_uri()],
                capture_output=True, text=True, timeout=120, check=False,
            )  # fmt: skip
        finally:
            shutil.rmtree(profile, ignore_errors=True)
        assert done.returncode == 0, done.stderr[-2000:]
    width, height, pixels = _png_pixels(png)
    assert (width, height) == (1000, 1400)
    assert len(set(pixels[:200_000])) > 10, "the screenshot is blank"
    document = pdf.read_bytes()
    assert document.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", document)
    assert boxes, "no pages in the PDF"
    for w, h in boxes:  # A4 is 595 x 842 points
        assert abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1
    return png, pdf


@pytest.mark.parametrize("language", ["en", "sv", "nb"])
def test_round_report_renders_in_a_browser(language: str, tmp_path: Path) -> None:
    path = RESULT.report(tmp_path / "round.html", language=language, cohort=COHORT)
    assert list(tmp_path.iterdir()) == [path]
    text = path.read_text(encoding="utf-8")
    self_contained(text)
    assert f'<html lang="{language}">' in text
    for rule in RESULT.rules:
        assert str(rule) in text
    for reason in RESULT.unmatched["reason"]:
        assert reason.replace("'", "&#x27;") in text
    assert text.count("<svg") == 2  # the score plot and the map
    _, pdf = render(path, tmp_path)
    assert len(re.findall(rb"/Type /Page\b", pdf.read_bytes())) >= 2


def test_round_report_claims_optimal_only_when_proven(tmp_path: Path) -> None:
    proven = RESULT.report(tmp_path / "a.html").read_text(encoding="utf-8")
    assert "Proven optimal" in proven
    unproven = replace(RESULT, status="feasible", bound=RESULT.objective + 0.25)
    text = unproven.report(tmp_path / "b.html").read_text(encoding="utf-8")
    assert "Proven optimal" not in text
    assert "not proven optimal: at most 0.250 below" in text


def test_round_report_without_coordinates_says_why_there_is_no_map(tmp_path: Path) -> None:
    text = RESULT.report(tmp_path / "r.html", language="nb").read_text(encoding="utf-8")
    assert "Ikke noe kart" in text and text.count("<svg") == 1


def test_round_report_refuses_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(mm.InputError) as error:
        RESULT.report(tmp_path / "r.html", language="english", cohort="cohort.csv")  # type: ignore[arg-type]
    assert {v.argument for v in error.value.violations} == {"language", "cohort"}
    with pytest.raises(mm.InputError, match=r"ending in \.html"):
        RESULT.report(tmp_path / "r.pdf")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("language", ["en", "sv", "nb"])
def test_evaluation_report_renders_in_a_browser(language: str, tmp_path: Path) -> None:
    ev = evaluation(language)
    path = ev.report(tmp_path / "steering.html")
    text = path.read_text(encoding="utf-8")
    self_contained(text)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in text  # answers are escaped
    for person in COHORT.profiles:
        assert f">{person.id}<" not in text and str(person.name) not in text
    for q in questions():
        assert q.text(language) in text.replace("&#x27;", "'")  # type: ignore[arg-type]
    for criterion, weight in ev.proposed_weights.items():
        assert criterion in text and f"{weight:.2f}" in text
    assert text.count("<svg") == 1
    render(path, tmp_path)


def test_agendas_render_a_page_per_meeting(tmp_path: Path) -> None:
    plan = mm.plan_programme(RESULT, "2027-02-01", cohort=COHORT, language="sv")
    path = plan.to_agendas(tmp_path / "agendas")[0]
    self_contained(path.read_text(encoding="utf-8"))
    _, pdf = render(path, tmp_path)
    pages = len(re.findall(rb"/Type /Page\b", pdf.read_bytes()))
    assert pages == len(plan.pair(path.stem.split("-")[-1]))


def test_evaluation_report_language_can_differ_from_the_sheet(tmp_path: Path) -> None:
    ev = evaluation("sv")
    text = ev.report(tmp_path / "r.html", language="en").read_text(encoding="utf-8")
    assert "report to the steering group" in text
    assert ev.language == "sv"  # the evaluation itself is unchanged
    plot = ev.plot()
    assert plot.get_title() == "Betyg per fråga"
