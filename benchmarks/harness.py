"""The benchmarks' harness: every timed run in its own killable process, and the table cells.

A *task* names a function ``module.function(*args, timeout=...)`` in this folder that
prepares one run (builds its instance, imports what it needs) and returns a
:class:`Prepared`: the call to time and how to report its result. :func:`run_once`
starts a fresh Python process for it (:func:`worker`), which caps its own address
space at ``memory_gb``, prepares, prints ``ready``, times the call, and prints one
JSON report: the task's own fields (``status``, ``objective``, ``tolerance``,
``broken``, ``known``, ``note``, ``build``, ``phases``; all optional) plus
``seconds``, ``peak_mib`` (the worker's largest resident set, its children's such as
CBC's included) and ``ready_mib`` (the same before the timed call). A worker that
takes longer than ``timeout`` is killed with everything it started (its own process
group); one that takes longer than :data:`SETUP_LIMIT` to prepare, too.

:func:`run_repeats` takes the median over repeats; :func:`cells` turns the outcomes
of one case (the same instance for every method) into table cells: the time, the
ratio to the fastest *other* method of the case, peak memory, and the objective
check against the case's reference method and any published optimum.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import platform
import queue
import re
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, Any

HERE = Path(__file__).resolve().parent
SETUP_LIMIT = 600.0
"""Seconds a worker may take to import and build its instance before it is killed."""
GRACE = 1.0
"""Seconds a worker is given past ``timeout`` to print its report before it is killed."""
PACKAGES = (
    "mentormatch",
    "numpy",
    "scipy",
    "pandas",
    "ortools",
    "lap",
    "PuLP",
    "networkx",
    "matplotlib",
    "tqdm",
)


def _nothing() -> None:
    return None


@dataclass(frozen=True)
class Prepared:
    """One run, ready: ``run()`` is timed; ``report(result)`` (not timed) says what it
    found as a JSON-able dict; ``cleanup()`` runs last, whatever happened."""

    run: Callable[[], Any]
    report: Callable[[Any], dict[str, Any]]
    cleanup: Callable[[], None] = _nothing


@dataclass(frozen=True)
class Task:
    """``module.function(*args, timeout=...)`` -> :class:`Prepared`, ``module`` in this folder."""

    module: str
    function: str
    args: tuple[str, ...] = ()

    def prepare(self, timeout: float) -> Prepared:
        """Import the module and prepare the run in this process."""
        prepare: Callable[..., Prepared] = getattr(
            importlib.import_module(self.module), self.function
        )
        return prepare(*self.args, timeout=timeout)


# ---------------------------------------------------------------------------- worker


def peak_mib() -> float:
    """The largest resident set of this process, or of a child it waited for, in MiB.

    This process's own is the kernel's high-water mark of its memory (``VmHWM``):
    ``getrusage``'s ``ru_maxrss`` would do, but Linux carries the parent's peak over
    into a process it starts, so every worker would show at least the runner's size.
    """
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with contextlib.suppress(OSError, StopIteration):
        status = Path("/proc/self/status").read_text().splitlines()
        own = int(next(line for line in status if line.startswith("VmHWM:")).split()[1])
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # KiB


def measure(task: Task, timeout: float, ready: Callable[[], None]) -> dict[str, Any]:
    """Prepare the task, call ``ready()``, time the run, and return its report."""
    prepared = task.prepare(timeout)
    try:
        before = peak_mib()
        ready()
        start = time.perf_counter()
        result = prepared.run()
        seconds = time.perf_counter() - start
        report = prepared.report(result)
    finally:
        prepared.cleanup()
    return {**report, "seconds": seconds, "peak_mib": peak_mib(), "ready_mib": before}


def worker(argv: Sequence[str]) -> int:
    """The worker process: ``argv[0]`` is the JSON of the task, timeout and memory cap."""
    spec = json.loads(argv[0])
    limit = int(spec["memory_gb"] * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    task = Task(spec["module"], spec["function"], tuple(spec["args"]))
    report = measure(task, spec["timeout"], lambda: print("ready", flush=True))
    print(json.dumps(report), flush=True)
    return 0


# ---------------------------------------------------------------------------- parent


def _pump(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def _kill(process: subprocess.Popen[str]) -> None:
    """Kill the worker and everything it started (its own process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _why(stderr: str, memory_gb: float) -> str:
    """The worker's last words: its exception, without the module path."""
    lines = stderr.strip().splitlines()
    last = re.sub(r"^[\w.]*?(\w+(Error|Exception)):", r"\1:", lines[-1] if lines else "")[:160]
    if "MemoryError" in stderr or "std::bad_alloc" in stderr:
        return f"out of memory under the {memory_gb:g} GB cap: {last}"
    return last


def _isolated(task: Task, timeout: float, memory_gb: float) -> dict[str, Any] | str:
    spec = {
        "module": task.module,
        "function": task.function,
        "args": list(task.args),
        "timeout": timeout,
        "memory_gb": memory_gb,
    }
    with tempfile.TemporaryDirectory(prefix="mm_bench_") as scratch:
        path = os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")]))
        env = {**os.environ, "TMPDIR": scratch, "TMP": scratch, "PYTHONPATH": path}
        errors = Path(scratch) / "stderr.txt"
        code = "import sys, harness; sys.exit(harness.worker(sys.argv[1:]))"
        with errors.open("w") as stderr:
            process = subprocess.Popen(
                [sys.executable, "-c", code, json.dumps(spec)],
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
                env=env,
                start_new_session=True,  # its own process group, so a kill reaches CBC too
            )
            assert process.stdout is not None
            lines: queue.Queue[str | None] = queue.Queue()
            threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True).start()
            ready: str | None = None
            try:
                ready = lines.get(timeout=SETUP_LIMIT)
                line = lines.get(timeout=timeout + GRACE) if ready == "ready\n" else None
            except queue.Empty:
                _kill(process)
                return "timeout" if ready == "ready\n" else f"setup took > {SETUP_LIMIT:g} s"
            _kill(process)
        if line is None:
            text = errors.read_text(errors="replace")
            return f"failed (exit {process.returncode}): {_why(text, memory_gb)}"
        report: dict[str, Any] = json.loads(line)
        return report


def _inline(task: Task, timeout: float) -> dict[str, Any] | str:
    try:
        return measure(task, timeout, lambda: None)
    except Exception as error:
        return f"failed: {type(error).__name__}: {str(error)[:160]}"


def run_once(
    task: Task, timeout: float, memory_gb: float, inline: bool = False
) -> dict[str, Any] | str:
    """One run: its report, or why it has none ("timeout", "failed (...)").

    ``inline`` runs the task in this process instead (smoke tests only): nothing is
    killed, no memory cap holds, and ``peak_mib`` is this process's peak so far.
    """
    return _inline(task, timeout) if inline else _isolated(task, timeout, memory_gb)


@dataclass
class Outcome:
    """The runs of one method on one case, or why it did not run (``skipped``)."""

    reports: list[dict[str, Any]] = field(default_factory=list)
    failure: str = ""
    timed_out: bool = False
    skipped: str = ""

    @property
    def ran(self) -> bool:
        """True when every run gave a report."""
        return bool(self.reports) and not self.failure and not self.skipped

    def _values(self, key: str) -> list[float]:
        return [float(r[key]) for r in self.reports]

    @property
    def median(self) -> float:
        return statistics.median(self._values("seconds"))

    @property
    def report(self) -> dict[str, Any]:
        """The last run's report (objective, status, notes: the same in every run)."""
        return self.reports[-1]

    @property
    def peak_mib(self) -> float:
        return max(self._values("peak_mib"))

    @property
    def growth_mib(self) -> float:
        """How much the peak grew during the timed call (median over runs)."""
        ready = self._values("ready_mib")
        return statistics.median(
            p - r for p, r in zip(self._values("peak_mib"), ready, strict=True)
        )

    def median_of(self, key: str) -> float | None:
        values = [r[key] for r in self.reports if r.get(key) is not None]
        return statistics.median(values) if values else None

    def phases(self) -> dict[str, float]:
        """Median seconds per phase, for tasks that report ``phases``."""
        names = self.reports[0].get("phases", {}) if self.reports else {}
        return {name: statistics.median(r["phases"][name] for r in self.reports) for name in names}


def run_repeats(
    task: Task,
    repeat: int,
    timeout: float,
    memory_gb: float,
    inline: bool = False,
    tick: Callable[[], object] = _nothing,
) -> Outcome:
    """``repeat`` runs, stopping at the first failure; ``tick()`` after each run.

    A run counts as timed out when it took longer than ``timeout``, or stopped short
    of a proven optimum at its own time limit.
    """
    outcome = Outcome()
    for _ in range(repeat):
        report = run_once(task, timeout, memory_gb, inline)
        tick()
        if isinstance(report, str):
            outcome.failure, outcome.timed_out = report, report == "timeout"
            break
        stopped = (
            report.get("status", "optimal") != "optimal" and report["seconds"] >= 0.98 * timeout
        )
        if report["seconds"] > timeout or stopped:
            outcome.failure, outcome.timed_out = "timeout", True
            break
        outcome.reports.append(report)
    return outcome


# ---------------------------------------------------------------------------- cells


def seconds_text(value: float) -> str:
    """Seconds with about four significant digits."""
    if value < 1e-3:
        return f"{value:.6f}"
    return f"{value:.4f}" if value < 10 else f"{value:.1f}"


def _time_cell(outcome: Outcome, timeout: float) -> str:
    if outcome.skipped:
        return "—"
    if outcome.timed_out:
        return f"timeout >{timeout:g}s"
    return "failed" if outcome.failure else seconds_text(outcome.median)


def _ratio_cell(key: str, outcomes: Mapping[str, Outcome], timeout: float) -> str:
    """This method's time over the fastest other method's; a timed-out one counts as
    ``timeout`` (so the ratio is a bound)."""
    outcome = outcomes[key]
    others = [o for k, o in outcomes.items() if k != key]
    times = [o.median for o in others if o.ran]
    if outcome.ran and times:
        return f"{outcome.median / min(times):.3g}"
    if outcome.ran and any(o.timed_out for o in others):
        return f"<{outcome.median / timeout:.2g}"
    if outcome.timed_out and times:
        return f">{timeout / min(times):.3g}"
    return "—"


def _gap_text(found: dict[str, Any], expected: float, tolerance: float) -> str:
    gap = found["objective"] - expected
    allowed = found.get("tolerance", 0.0) + tolerance + 1e-9 * max(1.0, abs(expected))
    return "ok" if abs(gap) <= allowed else f"MISMATCH {gap:+.2e}"


def _check_cell(outcome: Outcome, reference: Outcome | None) -> str:
    """ "ok" when the answer keeps the rules and its objective equals the reference's
    (within both sides' rounding) and the published optimum where there is one."""
    if not outcome.ran or outcome.report.get("objective") is None:
        return ""
    report = outcome.report
    if report.get("broken"):
        return f"INVALID: {report['broken']}"
    checks = []
    if report.get("known") is not None:
        checks.append(_gap_text(report, report["known"], 0.0))
    if reference is not None and reference is not outcome and reference.ran:
        mine = reference.report
        checks.append(_gap_text(report, mine["objective"], mine.get("tolerance", 0.0)))
    bad = [c for c in checks if c != "ok"]
    return bad[0] if bad else "ok"


def _notes(outcome: Outcome, is_reference: bool) -> str:
    if outcome.skipped:
        return outcome.skipped
    if outcome.failure:
        return "" if outcome.timed_out else outcome.failure
    report = outcome.report
    parts = []
    if report.get("status") and (is_reference or report["status"] != "optimal"):
        parts.append(report["status"])
    if is_reference and report.get("objective") is not None:
        parts.append(f"objective {report['objective']:.6f}")
    build = outcome.median_of("build")
    if build is not None:
        parts.append(f"build {seconds_text(build)} s")
    if report.get("note"):
        parts.append(report["note"])
    return ", ".join(parts)


def cells(
    outcomes: Mapping[str, Outcome], timeout: float, same_problem: bool = True
) -> dict[str, dict[str, str]]:
    """Per method (in order), the cells of its row; the first method is the reference
    its peers' objectives are checked against when ``same_problem``."""
    first = next(iter(outcomes))
    reference = outcomes[first] if same_problem else None
    rows = {}
    for key, outcome in outcomes.items():
        ran = outcome.ran
        rows[key] = {
            "median s": _time_cell(outcome, timeout),
            "ratio": "" if outcome.skipped else _ratio_cell(key, outcomes, timeout),
            "peak MiB": f"{outcome.peak_mib:.0f}" if ran else "",
            "call MiB": f"{outcome.growth_mib:.0f}" if ran else "",
            "check": _check_cell(outcome, reference),
            "notes": _notes(outcome, key == first),
        }
    return rows


def markdown_row(row: Sequence[str]) -> str:
    """One line of a markdown table."""
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |"


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str = "") -> str:
    """A markdown table; ``align`` has an ``r`` for each right-aligned column (numbers)."""
    rules = ["---:" if align[k : k + 1] == "r" else "---" for k in range(len(header))]
    return "\n".join(markdown_row(line) for line in [header, rules, *rows])


# ---------------------------------------------------------------------------- machine


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def load_average() -> str:
    """The 1, 5 and 15 minute load averages."""
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def machine() -> list[str]:
    """The machine and the software, a line each."""
    usable = len(os.sched_getaffinity(0))
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return [
        f"{_cpu_model()}, {os.cpu_count()} cores ({usable} usable), {ram:.1f} GiB RAM, "
        f"{platform.system()} {platform.release()}",
        f"Python {platform.python_version()}; "
        + ", ".join(f"{p} {package_version(p)}" for p in PACKAGES),
        "HiGHS: the one bundled with scipy (scipy.optimize.milp); CBC: the one bundled with PuLP",
    ]
