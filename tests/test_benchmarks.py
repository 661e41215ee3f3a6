"""The benchmark runner cannot rot: every family's smallest case, the harness's worker
processes (timeout, memory cap, peak memory) and the cells it reports (ratios, checks).

The benchmarks themselves are run by hand (``benchmarks/run.py``); ``benchmarks/`` is on
the test path (``pythonpath`` in pyproject.toml). Peers that are not installed (the
``bench`` extra) show as skipped rows, so this runs with the ``test`` extra alone.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

import bench_assign
import mentormatch as mm
import run
from cases import FAMILIES, broken_rule, match_by_phase, timed_phases
from harness import Outcome, Task, cells, run_once, run_repeats

TESTS = Path(__file__).resolve().parent


def test_a_quick_run_of_every_familys_smallest_case(tmp_path: Path) -> None:
    smallest = [f"--sizes={key}={min(f.quick_sizes)}" for key, f in FAMILIES.items()]
    plan = run.parse(["--quick", "--inline", "--out", str(tmp_path), *smallest])
    assert plan is not None and not plan.full and plan.repeat == 1
    readme = run.README.read_text(encoding="utf-8")

    results = run.run(plan)

    for key, by_size in results.items():
        for size, outcomes in by_size.items():
            reference = next(iter(outcomes.values()))
            assert reference.ran, (key, size, reference.failure, reference.skipped)
            for method, outcome in outcomes.items():
                why = outcome.skipped.startswith(("not installed", "not run above"))
                assert outcome.ran or why, (key, size, method, outcome.failure)
    assert run.problems(results, plan.timeouts) == []
    table = cells(results["orlib"][100], plan.timeouts["orlib"])
    assert table["ours"]["check"] == "ok"  # the published optimum of assign100 included
    assert set(results["e2e"][50]["phases"].phases()) == {
        "read",
        "score",
        "rules",
        "solve",
        "reasons",
        "other",
    }

    written = run.write(plan, results, ("1.00", "1.00"))
    assert {p.name for p in written} == {"latest.md", *(f"{key}.png" for key in FAMILIES)}
    text = (tmp_path / "latest.md").read_text(encoding="utf-8")
    for key in FAMILIES:
        assert f"(`{key}`)" in text and f"]({key}.png)" in text
    assert "Inline smoke run" in text and "load average" in text and "--quick" in text
    assert all(p.stat().st_size > 0 for p in written)
    assert run.README.read_text(encoding="utf-8") == readme  # a narrow run leaves it alone


@pytest.mark.parametrize("candidates", [None, 8])  # the dense path, the sparse path
def test_the_phases_time_mm_match_itself(tmp_path: Path, candidates: int | None) -> None:
    path = mm.write_cohort(mm.example_cohort(), tmp_path / "cohort.csv")
    rules = [*mm.pilot_rules(), mm.RegionQuota(max=1)]  # binds: 2 a region without it
    phased, seconds = match_by_phase(path, rules, candidates=candidates)
    whole = mm.match(mm.read_cohort(path), rules=rules, candidates=candidates)
    assert phased.pairs.equals(whole.pairs) and phased.unmatched.equals(whole.unmatched)
    assert (phased.objective, phased.status, phased.solver) == (
        whole.objective,
        whole.status,
        whole.solver,
    )
    assert list(seconds) == ["read", "score", "rules", "solve", "reasons", "other"]
    assert all(seconds[phase] > 0 for phase in ("read", "score", "rules", "solve", "reasons"))
    assert broken_rule(phased.pairs, 1, 8, 15) == "" and broken_rule(phased.pairs, 0, 8, 15)


def test_phases_count_nested_calls_once() -> None:
    class Clock:
        def outer(self) -> None:
            time.sleep(0.02)
            self.inner()

        def inner(self) -> None:
            time.sleep(0.03)

    original = Clock.__dict__["outer"]
    with timed_phases({"a": ((Clock, "outer"),), "b": ((Clock, "inner"),)}) as seconds:
        assert Clock.__dict__["outer"] is not original
        Clock().outer()
        Clock().inner()
    assert 0.02 <= seconds["a"] < 0.03 + 0.02 and seconds["b"] >= 0.06
    assert Clock.__dict__["outer"] is original  # put back


def test_the_command_line_names_what_is_wrong() -> None:
    wrong = (
        ["--cases", "dense,nope"],
        ["--sizes", "dense=10,x"],
        ["--sizes", "dense=0"],
        ["--timeout", "0"],
        ["--repeat", "0"],
        ["--memory-gb", "-1"],
    )
    for argv in wrong:
        with pytest.raises(SystemExit):
            run.parse(argv)
    with pytest.raises(SystemExit):
        run.parse(["--cases", "dense", "--sizes", "e2e=50"])  # e2e is not selected
    plan = run.parse(["--cases", "e2e,e2e", "--sizes", "e2e=50,20_000"])
    assert plan is not None and plan.sizes == {"e2e": (50, 20_000)} and len(plan.families) == 1
    assert plan.out == run.PARTIAL and not plan.full
    full = run.parse([])
    assert full is not None and full.full and full.out == run.RESULTS and full.repeat == 3
    assert full.timeouts["dense"] == 60 and full.timeouts["e2e"] == 300
    assert run.timeouts_text(full) == "60 s (e2e 300 s)"
    assert bench_assign.cases(bench_assign.parse(["--quick"]))[-1] == ("pilot", 100)


def test_the_readme_section_is_replaced_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# Benchmarks\n\nbefore\n\n{run.BEGIN}\nold\n{run.END}\n\nafter\n")
    monkeypatch.setattr(run, "README", readme)
    run.update_readme("new | table")
    text = readme.read_text()
    assert "old" not in text and "new | table" in text
    assert text.startswith("# Benchmarks\n\nbefore\n\n") and text.endswith(f"{run.END}\n\nafter\n")
    readme.write_text("no markers")
    with pytest.raises(SystemExit, match="no section"):
        run.update_readme("x")


# ---------------------------------------------------------------------------- harness


def done(seconds: float, objective: float | None = None, **extra: Any) -> Outcome:
    report = {"seconds": seconds, "peak_mib": 100.0, "ready_mib": 80.0, "objective": objective}
    return Outcome(reports=[{**report, **extra}])


def test_cells_give_the_ratio_to_the_fastest_other_method_and_check_objectives() -> None:
    outcomes = {
        "ours": done(1.0, 10.0),
        "fast": done(0.5, 10.0 + 1e-12),
        "wrong": done(2.0, 9.0),
        "late": Outcome(failure="timeout", timed_out=True),
        "absent": Outcome(skipped="not installed: lap"),
        "crashed": Outcome(failure="failed (exit 1): out of memory"),
    }
    table = cells(outcomes, timeout=60.0)
    assert [table[k]["ratio"] for k in ("ours", "fast", "wrong")] == ["2", "0.5", "4"]
    assert table["late"]["ratio"] == ">120" and table["late"]["median s"] == "timeout >60s"
    assert [table[k]["check"] for k in ("ours", "fast")] == ["ok", "ok"]
    assert table["wrong"]["check"] == "MISMATCH -1.00e+00"
    assert table["absent"]["notes"] == "not installed: lap" and table["absent"]["ratio"] == ""
    assert table["crashed"]["median s"] == "failed" and "out of memory" in table["crashed"]["notes"]
    assert table["ours"]["peak MiB"] == "100" and table["ours"]["call MiB"] == "20"
    assert cells(outcomes, 60.0, same_problem=False)["wrong"]["check"] == "ok"


def test_plots_show_sizes_where_nothing_finished(tmp_path: Path) -> None:
    family = FAMILIES["e2e"]
    failed = {"phases": Outcome(failure="failed (out of memory)"), "match": Outcome(skipped="-")}
    run.plot(family, {100_000: failed}, 60.0, tmp_path / "none.png")
    phased = done(1.0, 1.0, phases={"read": 0.5, "score": 0.5})
    run.plot(
        family,
        {50: {"phases": phased, "match": done(1.0, 1.0)}, 100_000: failed},
        60.0,
        tmp_path / "some.png",
    )
    assert (tmp_path / "none.png").stat().st_size and (tmp_path / "some.png").stat().st_size


def test_checks_allow_integer_rounding_and_compare_with_a_published_optimum() -> None:
    ours = done(1.0, 1.0)
    rounded = {"ours": ours, "peer": done(1.0, 1.0 + 5e-7, tolerance=1e-6)}
    assert cells(rounded, 60.0)["peer"]["check"] == "ok"
    beyond = {"ours": ours, "peer": done(1.0, 1.0 + 5e-6, tolerance=1e-6)}
    assert cells(beyond, 60.0)["peer"]["check"].startswith("MISMATCH")
    assert cells({"ours": done(1.0, -305.0, known=-305.0)}, 60.0)["ours"]["check"] == "ok"
    assert cells({"ours": done(1.0, -306.0, known=-305.0)}, 60.0)["ours"]["check"] != "ok"
    broken = {"ours": done(1.0, 1.0, broken="a mentee twice")}
    assert cells(broken, 60.0)["ours"]["check"] == "INVALID: a mentee twice"
    alone = {"ours": done(1.0, 1.0), "peer": Outcome(failure="timeout", timed_out=True)}
    assert cells(alone, 60.0)["ours"]["ratio"] == "<0.017"


def test_a_worker_reports_its_time_and_peak_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(TESTS))
    report = run_once(Task("benchmark_tasks", "allocate", ("200",)), timeout=60, memory_gb=4)
    assert isinstance(report, dict), report
    assert report["note"] == f"{200 * 2**20} bytes" and report["seconds"] > 0
    assert report["peak_mib"] - report["ready_mib"] >= 190  # the array was resident


def test_a_worker_is_killed_at_the_timeout_and_held_to_its_memory_cap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(TESTS))
    late = run_repeats(Task("benchmark_tasks", "sleep_for", ("600",)), 3, 0.2, 4)
    assert late.timed_out and late.failure == "timeout" and not late.reports
    greedy = run_once(Task("benchmark_tasks", "allocate", ("4096",)), timeout=60, memory_gb=1)
    assert (
        isinstance(greedy, str)
        and "out of memory under the 1 GB cap: _ArrayMemoryError: Unable to" in greedy
    )
