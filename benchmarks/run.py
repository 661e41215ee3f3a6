"""Run every benchmark case; write the table, the machine and the plots.

Every case family of ``cases.py`` (plain dense assignment, the OR-Library instances,
the pilot's rules, scoring, end to end ``mm.match``) at each of its sizes: every
method solves the same instance, each run in a fresh process (``harness.py``) with a
timeout and a memory cap, ``--repeat`` runs per median. Each row shows the median
time, its ratio to the fastest other method of the same case, the worker's peak
resident memory, and whether its objective equals the reference's (mentormatch's).

Writes ``latest.md`` (the tables, the machine, the load average and the command) and
one PNG per family (time and peak memory against size) into ``--out``; a full run
(no ``--quick``, ``--cases`` or ``--sizes``) into ``benchmarks/results/`` with the
same tables in ``benchmarks/README.md``, any narrower run into
``benchmarks/results/partial/`` (not committed). Run from the repository root:

    .venv/bin/python benchmarks/run.py                  # everything, 10-20 minutes
    .venv/bin/python benchmarks/run.py --quick          # a smoke run, about a minute
    .venv/bin/python benchmarks/run.py --cases e2e --sizes e2e=5000,20000

Exit status 1 when an answer breaks a rule or an objective differs from the reference's.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from matplotlib.figure import Figure
from matplotlib.ticker import LogFormatter, NullFormatter
from tqdm import tqdm

from cases import FAMILIES, Family, Method, Results
from harness import Outcome, cells, load_average, machine, markdown_table, run_repeats

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
PARTIAL = RESULTS / "partial"
README = HERE / "README.md"
BEGIN = "<!-- latest run: written by benchmarks/run.py, do not edit by hand -->"
END = "<!-- end of the latest run -->"
QUICK_TIMEOUT = 20.0
COLUMNS = ("method", "median s", "ratio", "peak MiB", "call MiB", "check", "notes")


@dataclass(frozen=True)
class Plan:
    """What one invocation runs, with what limits, and where it writes."""

    families: tuple[Family, ...]
    sizes: Mapping[str, tuple[int, ...]]
    repeat: int
    timeouts: Mapping[str, float]
    memory_gb: float
    out: Path
    full: bool
    inline: bool
    command: str


# ---------------------------------------------------------------------------- options


def _sizes_option(text: str) -> tuple[str, tuple[int, ...]]:
    family, _, sizes = text.partition("=")
    try:
        values = tuple(int(part.replace("_", "")) for part in sizes.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected FAMILY=N,N,... got {text!r}") from None
    if not values or any(v <= 0 for v in values):
        raise argparse.ArgumentTypeError(f"expected FAMILY=N,N,... (N > 0), got {text!r}")
    return family.strip(), values


def _command(argv: Sequence[str]) -> str:
    return shlex.join([_shown(Path(sys.executable)), _shown(Path(__file__)), *argv])


def parse(argv: Sequence[str] | None = None) -> Plan | None:
    """The plan of a command line; None when it only asks for the list of families."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run (about a minute)")
    parser.add_argument("--cases", help=f"families to run, of: {','.join(FAMILIES)} (default all)")
    parser.add_argument(
        "--sizes",
        type=_sizes_option,
        action="append",
        default=[],
        metavar="FAMILY=N,N",
        help="sizes of one family, e.g. e2e=50,500,5000,20000 (repeatable)",
    )
    parser.add_argument("--repeat", type=int, help="runs per median (default 3; --quick 1)")
    parser.add_argument(
        "--timeout", type=float, help="seconds per run (default 60, e2e 300; --quick 20)"
    )
    parser.add_argument("--memory-gb", type=float, default=12.0, help="address space per run")
    parser.add_argument("--out", type=Path, help="folder for latest.md and the plots")
    parser.add_argument("--list", action="store_true", help="list the families and exit")
    parser.add_argument("--inline", action="store_true", help=argparse.SUPPRESS)  # tests only
    args = parser.parse_args(argv)
    if args.list:
        for family in FAMILIES.values():
            print(f"{family.key:<8} {family.title}: {', '.join(map(str, family.sizes))}")
        return None
    chosen = FAMILIES if args.cases is None else (k.strip() for k in args.cases.split(","))
    keys = list(dict.fromkeys(chosen))
    unknown = [k for k in keys + [f for f, _ in args.sizes] if k not in FAMILIES]
    if unknown:
        parser.error(f"unknown case family {unknown[0]!r}; expected one of {', '.join(FAMILIES)}")
    unselected = [f for f, _ in args.sizes if f not in keys]
    if unselected:
        parser.error(f"--sizes {unselected[0]}=... but --cases does not include it")
    for name in ("repeat", "timeout", "memory_gb"):
        value = getattr(args, name)
        if value is not None and not value > 0:
            parser.error(f"--{name.replace('_', '-')} must be positive, got {value}")
    sizes = {k: FAMILIES[k].quick_sizes if args.quick else FAMILIES[k].sizes for k in keys}
    sizes.update(dict(args.sizes))
    full = not (args.quick or args.cases or args.sizes)
    return Plan(
        families=tuple(FAMILIES[k] for k in keys),
        sizes=sizes,
        repeat=args.repeat if args.repeat is not None else (1 if args.quick else 3),
        timeouts={
            k: args.timeout or (QUICK_TIMEOUT if args.quick else FAMILIES[k].timeout) for k in keys
        },
        memory_gb=args.memory_gb,
        out=args.out or (RESULTS if full else PARTIAL),
        full=full,
        inline=args.inline,
        command=_command(sys.argv[1:] if argv is None else argv),
    )


# ---------------------------------------------------------------------------- running


def _skip(family: Family, method: Method, size: int) -> str | None:
    return family.unavailable(size) or method.skip(size)


def run(plan: Plan) -> dict[str, dict[int, dict[str, Outcome]]]:
    """Every method of every case, with a progress bar: family -> size -> method -> outcome."""
    cases = [(f, size) for f in plan.families for size in plan.sizes[f.key]]
    runs = sum(plan.repeat for f, size in cases for m in f.methods if _skip(f, m, size) is None)
    results: dict[str, dict[int, dict[str, Outcome]]] = {f.key: {} for f in plan.families}
    with tqdm(total=runs, unit="run", file=sys.stderr, dynamic_ncols=True) as bar:
        for family, size in cases:
            outcomes: dict[str, Outcome] = {}
            for method in family.methods:
                skipped = _skip(family, method, size)
                if skipped is not None:
                    outcomes[method.key] = Outcome(skipped=skipped)
                    continue
                bar.set_description(f"{family.key} {size:,} {method.label}")
                outcome = run_repeats(
                    method.task(size),
                    plan.repeat,
                    plan.timeouts[family.key],
                    plan.memory_gb,
                    plan.inline,
                    tick=lambda: bar.update(1),
                )
                bar.update(plan.repeat - len(outcome.reports) - (1 if outcome.failure else 0))
                outcomes[method.key] = outcome
            results[family.key][size] = outcomes
    return results


def problems(results: Mapping[str, Results], timeouts: Mapping[str, float]) -> list[str]:
    """The rows whose answer breaks a rule or whose objective differs from the reference's."""
    found = []
    for key, by_size in results.items():
        for size, outcomes in by_size.items():
            table = cells(outcomes, timeouts[key], FAMILIES[key].same_problem)
            for method, row in table.items():
                if row["check"] not in ("", "ok"):
                    found.append(f"{key} {size:,} {method}: {row['check']}")
    return found


# ---------------------------------------------------------------------------- writing


def family_section(family: Family, results: Results, timeout: float, image: str) -> str:
    """The family's paragraph, its table (and phase table), and its plot."""
    rows = []
    for size, outcomes in results.items():
        table = cells(outcomes, timeout, family.same_problem)
        labels = {m.key: m.label for m in family.methods}
        rows += [
            [f"{size:,}", labels[k], *(row[c] for c in COLUMNS[1:])] for k, row in table.items()
        ]
    parts = [
        f"### {family.title} (`{family.key}`)",
        family.about,
        markdown_table([family.size_label, *COLUMNS], rows, "rlrrrr"),
    ]
    phased = [
        (size, o) for size, by in results.items() for o in by.values() if o.ran and o.phases()
    ]
    if phased:
        names = list(phased[0][1].phases())
        phase_rows = [
            [f"{size:,}", *(f"{o.phases()[n]:.3f}" for n in names), f"{o.median:.3f}"]
            for size, o in phased
        ]
        header = [family.size_label, *(f"{n} s" for n in names), "total s"]
        parts += ["Phases (medians):", markdown_table(header, phase_rows, "r" * len(header))]
    parts.append(f"![{family.title}: time and peak memory against size]({image})")
    return "\n\n".join(parts)


def plot(family: Family, results: Results, timeout: float, path: Path) -> None:
    """Median time and peak memory against size, a line per method (log scales); timeouts
    as crosses at the timeout; phases, where reported, as dashed lines; the sizes where a
    method failed in its label."""
    figure = Figure(figsize=(11, 4.2))
    times, memory = figure.subplots(1, 2)
    for method in family.methods:
        ran = [(size, o[method.key]) for size, o in results.items() if o[method.key].ran]
        late = [size for size, o in results.items() if o[method.key].timed_out]
        failed = [
            f"{size:,}" for size, o in results.items() if o[method.key].failure and size not in late
        ]
        if not ran and not failed and not late:
            continue  # skipped at every size
        label = f"{method.label} (failed at {', '.join(failed)})" if failed else method.label
        sizes = [size for size, _ in ran]
        (line,) = times.plot(sizes, [o.median for _, o in ran], marker="o", label=label)
        memory.plot(sizes, [o.peak_mib for _, o in ran], marker="o", color=line.get_color())
        if late:
            times.scatter(late, [timeout] * len(late), marker="x", color=line.get_color())
        for phase in ran[0][1].phases() if ran else ():
            values = [o.phases()[phase] for _, o in ran]
            times.plot(sizes, values, linestyle="--", linewidth=1, label=f"  {phase}")
    times.set(xlabel=family.size_label, ylabel="median seconds (x: timeout)", title="time")
    memory.set(xlabel=family.size_label, ylabel="peak resident memory, MiB", title="memory")
    sizes = sorted(results)
    for axes in (times, memory):
        axes.set_xscale("log")
        labels = [f"{size / 1000:g}k" if size >= 1000 else str(size) for size in sizes]
        axes.set_xticks(sizes, labels=labels, minor=False, fontsize="small")
        axes.xaxis.set_minor_formatter(NullFormatter())
        axes.grid(True, which="both", alpha=0.3)
        if axes.has_data() and axes.dataLim.y1 > 0:
            axes.set_yscale("log")
            axes.yaxis.set_major_formatter(LogFormatter(labelOnlyBase=False))
            minor = LogFormatter(labelOnlyBase=False, minor_thresholds=(1, 0.5))
            axes.yaxis.set_minor_formatter(minor)
        else:
            axes.text(0.5, 0.5, "no run finished", ha="center", transform=axes.transAxes)
    times.legend(fontsize="small")
    figure.suptitle(family.title.replace("`", ""))
    figure.subplots_adjust(left=0.08, right=0.98, bottom=0.12, top=0.86, wspace=0.28)
    figure.savefig(path, dpi=100)


def timeouts_text(plan: Plan) -> str:
    """ "60 s", or "60 s (e2e 300 s)" when some families differ from the most common."""
    values = list(plan.timeouts.values())
    common = max(values, key=values.count)
    other = [f"{key} {t:g} s" for key, t in plan.timeouts.items() if t != common]
    return f"{common:g} s" + (f" ({', '.join(other)})" if other else "")


def report(
    plan: Plan,
    results: Mapping[str, Results],
    load: tuple[str, str],
    when: str,
    images: Callable[[Family], str],
) -> str:
    """The markdown of a run: when, the machine, the settings, the targets and the tables."""
    targets = [
        line
        for family in plan.families
        if family.targets is not None
        for line in family.targets(results[family.key])
    ]
    parts = [
        f"Run {when}: `{plan.command}`",
        "\n".join(f"- {line}" for line in machine())
        + f"\n- load average (1, 5, 15 min) {load[0]} before the run, {load[1]} after: the "
        "machine is shared, so absolute times move with the load; ratios, taken in one run, "
        "move less",
        f"Median of {plan.repeat} run(s) per row, each in a fresh process killed after "
        f"{timeouts_text(plan)}, at most {plan.memory_gb:g} GB of address space; times exclude "
        "imports and building the instance. *ratio*: the row's median over the fastest "
        "other method's in the same case (below 1: faster than all; a bound with `<`/`>` "
        "when a method timed out). *peak MiB*: the worker's largest resident set (instance "
        "and imports included); *call MiB*: how much the peak grew during the timed call. "
        "*check*: ok when the answer keeps the case's rules and its objective equals the "
        "first row's (within the integer peers' rounding) and the published optimum where "
        "there is one.",
    ]
    if plan.inline:
        parts.append(
            "**Inline smoke run**: every task ran in one process; times and memory "
            "are not comparable."
        )
    if targets:
        parts.append("Targets (issue 9):\n\n" + "\n".join(f"- {line}" for line in targets))
    parts += [
        family_section(f, results[f.key], plan.timeouts[f.key], images(f)) for f in plan.families
    ]
    return "\n\n".join(parts) + "\n"


def update_readme(body: str) -> None:
    """Replace the latest run's section of ``benchmarks/README.md``."""
    text = README.read_text(encoding="utf-8")
    section = f"{BEGIN}\n\n{body}\n{END}"
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        raise SystemExit(f"{README} has no section between {BEGIN!r} and {END!r}")
    README.write_text(pattern.sub(lambda _: section, text), encoding="utf-8")


def _shown(path: Path) -> str:
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def write(plan: Plan, results: Mapping[str, Results], load: tuple[str, str]) -> list[Path]:
    """Write latest.md and the plots into ``plan.out`` (and a full run's README section);
    return the paths written."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    plan.out.mkdir(parents=True, exist_ok=True)
    written = []
    for family in plan.families:
        written.append(plan.out / f"{family.key}.png")
        plot(family, results[family.key], plan.timeouts[family.key], written[-1])
    text = report(plan, results, load, when, lambda f: f"{f.key}.png")
    latest = plan.out / "latest.md"
    latest.write_text("# Benchmarks: the latest run\n\n" + text, encoding="utf-8")
    written.insert(0, latest)
    if plan.full and plan.out.resolve() == RESULTS:
        update_readme(report(plan, results, load, when, lambda f: f"results/{f.key}.png"))
        written.append(README)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Run the plan, write the results; exit 1 when a check failed."""
    plan = parse(argv)
    if plan is None:
        return 0
    before = load_average()
    results = run(plan)
    written = write(plan, results, (before, load_average()))
    print(written[0].read_text(encoding="utf-8"))
    print("wrote " + ", ".join(map(_shown, written)))
    failed = problems(results, plan.timeouts)
    for line in failed:
        print(f"CHECK FAILED: {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
