"""The sparse path for large cohorts against the dense path, which brute force checks:
the same optimum on random cohorts and rule sets, repaired by the certificate when the
first candidates miss it; the rules' block tests equal to their whole masks."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mentormatch as mm
from mentormatch import sparse
from mentormatch.rules import Context
from mentormatch.scoring import PairScorer
from mentormatch.sparse import compile_sparse, solve_sparse
from mentormatch.sparse._solve import _most_over_price, _rescored
from strategies_cohort import cohorts
from test_match import rule_sets

SOME = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def sparse_total(cohort: mm.Cohort, rules: list[mm.Rule], candidates: int) -> tuple[float, int]:
    """The sparse path's total score and how many rounds its certificate took."""
    scorer = PairScorer.of(cohort)
    problem = compile_sparse(cohort, rules, scorer)
    solved, found, locked = solve_sparse(problem, scorer, candidates)
    pairs = [*solved.solution.pairs, *locked]
    rows = np.array([i for i, _ in pairs], dtype=np.intp)
    columns = np.array([j for _, j in pairs], dtype=np.intp)
    assert solved.solution.status == "optimal"
    return float(scorer.pairs(rows, columns).sum()), found.rounds


@SOME
@given(st.data(), st.integers(1, 6))
def test_the_sparse_optimum_is_the_dense_one(data: st.DataObject, candidates: int) -> None:
    cohort = data.draw(cohorts(max_mentors=6, max_mentees=8))
    rules = data.draw(rule_sets(cohort))
    try:
        dense = mm.match(cohort, rules=rules)
    except mm.InfeasibleError:
        with pytest.raises(mm.InfeasibleError):
            sparse_total(cohort, rules, candidates)
        return
    total, _ = sparse_total(cohort, rules, candidates)
    assert total == pytest.approx(dense.objective, abs=1e-5)


@SOME
@given(st.data(), st.integers(1, 4))
def test_the_sparse_path_tells_the_same_reasons(data: st.DataObject, candidates: int) -> None:
    """Where both paths choose the same pairs, every reason, shared or internal, is the
    same: the candidates settle most facts, and the rest are surveyed exactly."""
    cohort = data.draw(cohorts(max_mentors=6, max_mentees=8))
    rules = data.draw(rule_sets(cohort))
    try:
        dense = mm.match(cohort, rules=rules)
    except mm.InfeasibleError as error:
        with pytest.raises(mm.InfeasibleError):
            mm.match(cohort, rules=rules, candidates=candidates)
        assert error.conflicts
        return
    sparse = mm.match(cohort, rules=rules, candidates=candidates)
    assert sparse.objective == pytest.approx(dense.objective, abs=1e-5)
    assert sparse.status == "optimal"
    assert sparse.bound >= dense.objective - 1e-5
    chosen = ["mentor_id", "mentee_id"]
    if sparse.pairs[chosen].equals(dense.pairs[chosen]):
        assert sparse.explanations == dense.explanations
        assert sparse.unmatched.equals(dense.unmatched)
        assert sparse.pairs["reason"].tolist() == dense.pairs["reason"].tolist()


def test_the_certificate_repairs_candidates_that_miss_the_optimum() -> None:
    rng = np.random.default_rng(4)
    cohort = mm.Cohort.from_frame(
        __import__("pandas").DataFrame(
            {
                "id": [f"m{i}" for i in range(30)] + [f"e{j}" for j in range(30)],
                "role": ["mentor"] * 30 + ["mentee"] * 30,
                "organisation": [f"org{k}" for k in range(60)],
                "region": ["R"] * 60,
                "years_in_role": rng.integers(0, 30, 60).tolist(),
                "population": rng.integers(1000, 100000, 60).tolist(),
            }
        )
    )
    dense = mm.match(cohort, rules=[])
    total, rounds = sparse_total(cohort, [], candidates=1)
    assert rounds > 1  # the first candidates did not hold the optimum
    assert total == pytest.approx(dense.objective, abs=1e-5)


@SOME
@given(st.data())
def test_block_tests_equal_the_whole_mask(data: st.DataObject) -> None:
    cohort = data.draw(cohorts(max_mentors=6, max_mentees=8))
    context = Context(cohort.mentors, cohort.mentees)
    m, n = context.shape
    rows = np.array(data.draw(st.lists(st.integers(0, m - 1), min_size=1, unique=True)))
    columns = np.array(data.draw(st.lists(st.integers(0, n - 1), min_size=1, unique=True)))
    for rule in (
        mm.AvoidSameOrganisation(),
        mm.AvoidDeclared(),
        mm.SameRegion(),
        mm.DifferentRegion(),
        mm.MaxDistance(km=data.draw(st.floats(0, 1500)), skip_missing=True),
        mm.Forbid(cohort.mentors[0].id, cohort.mentees[-1].id),
    ):
        whole = rule.forbids(context)
        block = rule.ruled_out(context)(rows, columns)
        np.testing.assert_array_equal(block, whole[np.ix_(rows, columns)], err_msg=str(rule))


@SOME
@given(st.integers(1, 30), st.integers(1, 30), st.integers(0, 2**32 - 1))
def test_the_price_screen_bounds_every_pair(m: int, n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    mentor_best = rng.random(m)
    found = sparse.Candidates.of_bounds(
        *(np.zeros(0),) * 3,
        threshold=np.zeros(n),
        mentee_bound=np.zeros(n),
        mentor_bound=mentor_best,
    )
    price = rng.normal(0, 1, m)
    room = rng.random(m) < 0.8
    most = _most_over_price(found, price, room)
    t = rng.random(n) * 1.2
    expected = [
        max((min(tj, mentor_best[i]) - price[i] for i in range(m) if room[i]), default=-np.inf)
        for tj in t
    ]
    np.testing.assert_allclose(most(t), expected)


def test_what_the_sparse_path_cannot_hold_is_refused_by_name() -> None:
    cohort = mm.example_cohort()
    with pytest.raises(mm.InputError, match=r"argument 'objective'.*maximises the total"):
        mm.match(cohort, candidates=4, objective="fair")
    with pytest.raises(mm.InputError, match=r"Stable\(\).*candidates=None"):
        mm.match(cohort, rules=[mm.Stable()], candidates=4)
    with pytest.raises(mm.InputError, match=r"Quota\(.*min=1.*candidates=None"):
        mm.match(cohort, rules=[mm.Quota("country", min=1)], candidates=4)
    result = mm.match(cohort, candidates=4)
    with pytest.raises(mm.InputError, match=r"sparse path.*candidates=None"):
        result.alternatives(2)
    assert list(result.scores.columns) == ["mentor_id", "mentee_id", "score"]


@pytest.mark.parametrize(
    "huge", [mm.RegionQuota(max=10**30), mm.Quota("country", side="mentor", max=2**63)], ids=str
)
def test_limits_beyond_any_cohort_are_no_limits_on_the_sparse_path(huge: mm.Rule) -> None:
    cohort = mm.example_cohort()
    found = mm.match(cohort, rules=[huge], candidates=4)
    expected = mm.match(cohort, rules=[], candidates=4)
    assert found.objective == pytest.approx(expected.objective, abs=1e-9)
    assert found.status == "optimal"


def test_a_large_cohorts_result_exports_and_reports_without_the_whole_table(
    tmp_path: Path,
) -> None:
    result = mm.match(mm.example_cohort(), candidates=4)
    assert result.candidates == 4 and result.setup is None
    book = openpyxl.load_workbook(result.to_excel(tmp_path / "p.xlsx"))
    assert "scores" not in book.sheetnames
    about = [row for row in book["about"].iter_rows(values_only=True) if row[0] == "scores"]
    assert about and "candidate pairs" in str(about[0][1])
    with pytest.raises(mm.InputError, match="histogram"):
        result.plot()
    page = result.report(tmp_path / "round.html").read_text(encoding="utf-8")
    assert "E017" in page


@SOME
@given(st.data(), st.integers(1, 4))
def test_the_top_scan_finds_the_optimum_and_its_bounds_tell_the_truth(
    data: st.DataObject, candidates: int
) -> None:
    """The top scan (bounds on groups of mentors, for a pair limit far below the cohort),
    forced on small cohorts: the same optimum as the dense path; where a left-out person's
    reason rests on a bound ("none of its allowed pairs scores more than the lowest chosen
    pair"), every allowed pair of theirs indeed scores no more; every other reason is the
    dense path's, word for word, where both choose the same pairs."""
    cohort = data.draw(cohorts(max_mentors=6, max_mentees=8))
    rules = data.draw(rule_sets(cohort))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sparse._solve, "worth_it", lambda problem: True)
        try:
            dense = mm.match(cohort, rules=rules)
        except mm.InfeasibleError:
            with pytest.raises(mm.InfeasibleError):
                mm.match(cohort, rules=rules, candidates=candidates)
            return
        found = mm.match(cohort, rules=rules, candidates=candidates)
    assert found.objective == pytest.approx(dense.objective, abs=1e-5)
    assert found.status == "optimal"
    assert dense.setup is not None
    problem = dense.setup.problem
    rows = {m: i for i, m in enumerate(problem.mentor_ids)}
    columns = {e: j for j, e in enumerate(problem.mentee_ids)}
    locked = {(problem.mentor_ids[i], problem.mentee_ids[j]) for i, j in problem.locked}
    free = [
        s
        for m, e, s in found.pairs[["mentor_id", "mentee_id", "score"]].itertuples(index=False)
        if (m, e) not in locked
    ]
    same = found.pairs[["mentor_id", "mentee_id"]].equals(dense.pairs[["mentor_id", "mentee_id"]])
    for person, role, reason in found.unmatched.itertuples(index=False):
        if "none of its allowed pairs" in reason:
            line = (
                problem.scores[rows[person], problem.usable[rows[person]]]
                if role == "mentor"
                else problem.scores[problem.usable[:, columns[person]], columns[person]]
            )
            assert line.size and line.max() <= min(free) + 1e-6, (person, reason)
        elif same:
            assert found.explain(person) == dense.explain(person)


@pytest.mark.parametrize("rescore", [0, 10**6])
@pytest.mark.parametrize("seed", range(3))
def test_the_top_scan_repairs_a_first_threshold_that_misses(seed: int, rescore: int) -> None:
    """Synthetic cohorts where a region quota of one pushes the optimum below the first
    threshold: the threshold comes down (``rescore`` 0), or every doubtful mentee is
    rescored against the groups of mentors, of mixed prices, whose bound could beat
    them: the dense optimum all the same, proven."""
    cohort = mm.synthetic_cohort(300, 400, seed=seed)
    rules = [mm.PairCount(max=5), mm.AvoidSameOrganisation(), mm.RegionQuota(max=1)]
    dense = mm.match(cohort, rules=rules)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sparse._top, "FIRST_DISTANCE", 1e-5)  # the best few pairs only
        patch.setattr(sparse._solve, "DOUBTFUL_RESCORED", rescore)
        found = mm.match(cohort, rules=rules, candidates=1)
    assert found.status == "optimal"
    assert found.objective == pytest.approx(dense.objective, abs=1e-6)


@SOME
@given(st.integers(0, 2**32 - 1))
def test_rescoring_covers_every_pair_whose_group_bound_could_beat_its_prices(seed: int) -> None:
    """Against a direct reading: pair (i, j) of a doubtful mentee j is rescored whenever
    the bound of i's group with j exceeds i's and j's prices (groups of mixed prices)."""
    rng = np.random.default_rng(seed)
    m, n, scale = 12, 5, 100.0
    members = rng.permutation(m).astype(np.intp)
    starts = np.r_[0, np.sort(rng.choice(np.arange(1, m), 3, replace=False)), m].astype(np.intp)
    table = rng.random((len(starts) - 1, n)).astype(np.float32)
    mentor_price = rng.integers(0, 60, m)
    mentee_price = rng.integers(0, 60, n)
    doubtful = np.flatnonzero(rng.random(n) < 0.7).astype(np.intp)
    bounds = SimpleNamespace(groups=SimpleNamespace(members=members, starts=starts), table=table)
    blocks = _rescored(
        SimpleNamespace(shape=(m, n)), doubtful, bounds, mentor_price, mentee_price, scale
    )
    rescored = {(int(i), int(j)) for rows, columns in blocks for i in rows for j in columns}
    for g in range(len(starts) - 1):
        for i in members[starts[g] : starts[g + 1]]:
            for j in doubtful:
                if table[g, j] > (mentor_price[i] + mentee_price[j] - 1) / scale:
                    assert (int(i), int(j)) in rescored


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("candidates", [1, 3])
def test_the_full_scan_is_exact_where_the_mentors_lists_do_not_hold_every_pair(
    seed: int, candidates: int
) -> None:
    """Far more mentees than each mentor's kept best (16), few candidates per mentee:
    pairs outside the candidates are only known to score below their mentee's threshold,
    so the certificate's reading of the thresholds decides; the dense optimum, proven."""
    cohort = mm.synthetic_cohort(40, 300, seed=seed)
    for rules in (
        [mm.AvoidSameOrganisation(), mm.AvoidDeclared()],
        [mm.PairCount(max=30), mm.RegionQuota(max=2), mm.MaxDistance(km=400)],
    ):
        dense = mm.match(cohort, rules=rules)
        found = mm.match(cohort, rules=rules, candidates=candidates)
        assert found.status == "optimal"
        assert found.objective == pytest.approx(dense.objective, abs=1e-6), rules


@pytest.mark.parametrize("candidates", [1, 4])
def test_a_mentee_the_price_screen_passes_has_no_pair_beyond_its_prices(candidates: int) -> None:
    """The screen that spares mentees from rescoring, read against every pair: whatever
    the prices, a pair outside the scan's candidates that exceeds its prices belongs to a
    doubtful mentee (more mentees than each mentor's kept best, so the thresholds count)."""
    spared = 0
    for seed in range(6):
        cohort = mm.synthetic_cohort(12, 300, seed=seed)
        scorer = PairScorer.of(cohort)
        problem = compile_sparse(cohort, [mm.AvoidSameOrganisation()], scorer)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(sparse._scan, "BLOCK_CELLS", 12 * 40)  # blocks after the first too
            found = sparse._scan.scan(problem, scorer, candidates)
        m, n = problem.shape
        rng = np.random.default_rng(seed)
        scale = 1e6  # prices near the thresholds, where the screen decides
        reach = found.mentee_bound - found.threshold
        mentee_price = found.threshold + rng.uniform(-3, 1, n) * reach
        prices = (rng.integers(0, 0.1 * scale, m), np.round(mentee_price * scale).astype(np.int64))
        solved = SimpleNamespace(prices=lambda p=prices: p, rounded=SimpleNamespace(scale=scale))
        doubtful = sparse._solve._doubtful(problem, found, solved, np.zeros(n, dtype=bool))
        every = np.arange(m), np.arange(n)
        outside = problem.usable(*every)
        outside[found.rows, found.columns] = False
        limit = (prices[0][:, None] + prices[1][None, :] - 1) / scale
        scores = scorer.block(*every)
        below = scores < found.threshold[None, :] + 1e-6  # float32 scores, float64 thresholds
        assert below[outside].all(), seed  # what the thresholds claim
        beyond = np.unique(np.nonzero(outside & (scores > limit))[1])
        assert set(beyond.tolist()) <= set(doubtful.tolist()), seed
        spared += n - doubtful.size
    assert spared > 0  # the screen spared someone: the check above had work to do
