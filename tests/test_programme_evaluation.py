"""The evaluation: the form, reading it back with every bad input named, and the weight proposal."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import mentormatch as mm
from mentormatch.programme import questions
from mentormatch.programme._weights import analyse
from mentormatch.scoring import DEFAULT_WEIGHTS

COHORT = mm.example_cohort()
RESULT = mm.match(COHORT)
RATINGS = [q for q in questions() if q.kind == "rating"]
CRITERIA = list(DEFAULT_WEIGHTS)


def filled(result: mm.MatchResult, language: str = "en", seed: int = 0) -> pd.DataFrame:
    form = mm.evaluation_form(result, language=language)
    rng = np.random.default_rng(seed)
    for q in questions():
        column = q.text(language)  # type: ignore[arg-type]
        if q.kind == "rating":
            form[column] = pd.Series(rng.integers(1, 6, len(form)), dtype=object)
        else:
            form[column] = [f"answer {i}" for i in range(len(form))]
    return form


def synthetic_round(values: pd.DataFrame, weights: dict[str, float]) -> mm.MatchResult:
    """A round with given criterion values per pair (no solver: the evaluation reads only these)."""
    n = len(values)
    pairs = pd.DataFrame({"mentor_id": [f"M{i:03d}" for i in range(n)],
                          "mentee_id": [f"E{i:03d}" for i in range(n)]})  # fmt: skip
    pairs["score"] = values[CRITERIA].to_numpy() @ np.array([weights[c] for c in CRITERIA])
    pairs = pd.concat([pairs, values[CRITERIA].reset_index(drop=True)], axis=1)
    return mm.MatchResult(
        pairs=pairs,
        status="optimal",
        objective=float(pairs["score"].sum()),
        bound=float(pairs["score"].sum()),
        scores=pd.DataFrame(),
        unmatched=pd.DataFrame(columns=["id", "role", "reason"]),
        rules=(),
        weights=weights,
        solver="synthetic",
        wall_time=0.0,
        explanations={},
    )


def answers_from(
    result: mm.MatchResult, truth: dict[str, float], noise: float, seed: int
) -> pd.DataFrame:
    """Every respondent rates the pair questions round(1 + 4 * true score + noise), within 1-5."""
    rng = np.random.default_rng(seed)
    form = mm.evaluation_form(result)
    latent = 1 + 4 * (result.pairs[CRITERIA].to_numpy() @ np.array([truth[c] for c in CRITERIA]))
    per_pair = dict(zip(result.pairs["mentee_id"], latent, strict=True))
    for q in RATINGS:
        base = form["mentee_id"].map(per_pair).to_numpy() if q.pair else np.full(len(form), 3.0)
        form[q.text("en")] = np.clip(np.rint(base + rng.normal(0, noise, len(form))), 1, 5)
    return form


def test_the_form_has_a_row_per_respondent_and_a_column_per_question() -> None:
    form = mm.evaluation_form(RESULT, language="nb")
    assert len(form) == 2 * len(RESULT.pairs)
    assert sorted(form["id"]) == sorted([*RESULT.pairs["mentor_id"], *RESULT.pairs["mentee_id"]])
    mentors = form[form["role"] == "mentor"]
    assert (mentors["id"] == mentors["mentor_id"]).all()
    assert form.columns[5:].tolist() == [q.text("nb") for q in questions()]
    assert form.iloc[:, 5:].isna().all().all()
    assert form["name"].notna().all()


@pytest.mark.parametrize("language", ["en", "sv", "nb"])
def test_the_questionnaire_reads_back_in_each_language(language: str, tmp_path: Path) -> None:
    form = filled(RESULT, language)
    path = tmp_path / "answers.xlsx"
    form.to_excel(path, index=False)
    ev = mm.read_evaluation(path, RESULT, n_boot=50)
    assert ev.language == language
    assert len(ev.answers) == len(form)
    for q in RATINGS:
        expected = form[q.text(language)].astype(float)  # type: ignore[arg-type]
        row = ev.summary.set_index("question").loc[q.key]
        assert row["mean"] == pytest.approx(expected.mean())
        assert row["low"] <= row["mean"] <= row["high"]
        mentors = expected[form["role"] == "mentor"]
        assert row["mentor_mean"] == pytest.approx(mentors.mean())


def test_csv_json_and_short_headers_read_the_same(tmp_path: Path) -> None:
    form = filled(RESULT, "sv")
    csv = tmp_path / "a.csv"
    form.to_csv(csv, sep=";", index=False, encoding="utf-8-sig")
    keyed = form.rename(columns={q.text("sv"): q.key.upper() for q in questions()})
    records = tmp_path / "a.json"
    records.write_text(json.dumps(keyed.to_dict(orient="records"), default=int), encoding="utf-8")
    bare = form.rename(columns={q.text("sv"): q.sv.rstrip("?") for q in questions()})
    results = [mm.read_evaluation(x, RESULT, n_boot=20) for x in (csv, records, bare)]
    for ev in results[1:]:
        pd.testing.assert_frame_equal(ev.answers, results[0].answers)
    assert results[0].language == "sv" and results[1].language == "en"


def test_every_bad_answer_is_named_with_its_row_and_column(tmp_path: Path) -> None:
    form = filled(RESULT, "en")
    purpose, time = RATINGS[0].text("en"), RATINGS[4].text("en")
    form.loc[0, purpose] = 6
    form.loc[1, purpose] = "fem"
    form.loc[2, time] = 3.5
    form.loc[3, "id"] = "M999"
    form.loc[4, "role"] = "mentor" if form.loc[4, "role"] == "mentee" else "mentee"
    form.loc[5, "mentee_id"] = form.loc[7, "mentee_id"]
    form.loc[6, "id"] = form.loc[8, "id"]
    form.loc[6, ["mentor_id", "mentee_id"]] = form.loc[8, ["mentor_id", "mentee_id"]].to_numpy()
    path = tmp_path / "answers.xlsx"
    form.to_excel(path, index=False)
    with pytest.raises(mm.InputError) as error:
        mm.read_evaluation(path, RESULT)
    found = {(v.row, v.column) for v in error.value.violations}
    assert found == {
        (2, purpose), (3, purpose), (4, time), (5, "id"), (6, "role"), (7, "mentee_id"),
        (10, "id"),
    }  # fmt: skip
    text = str(error.value)
    assert "answers.xlsx, row 2, column '1. Was the purpose" in text
    assert "expected a whole number from 1 to 5, got 6" in text
    assert "no one with id 'M999'" in text
    assert "answered twice for this pair (first in row 8)" in text


def test_header_typos_and_missing_questions_are_named_at_once() -> None:
    form = filled(RESULT, "en").rename(
        columns={
            RATINGS[2].text("en"): "3. Did you discus what matered to you?",
            "id": "idd",
        }
    )
    form = form.drop(columns=[questions()[7].text("en")])
    with pytest.raises(mm.InputError) as error:
        mm.read_evaluation(form, RESULT)
    text = str(error.value)
    assert "row 1, column '3. Did you discus what matered to you?': unknown column; " in text
    assert "did you mean the question 'mattered'?" in text
    assert "column 'idd': unknown column; did you mean 'id'?" in text
    assert "missing the column of question 8" in text
    assert "missing the column of question 3" not in text  # the typo is named instead


def test_missing_respondents_and_blank_rows_count_as_not_answered() -> None:
    form = filled(RESULT, "en")
    keep = form.copy()
    form.iloc[[0, 1, 2], 5:] = None  # three forms came back empty
    form = pd.concat([form, pd.DataFrame([[None] * form.shape[1]], columns=form.columns)])
    form = form.drop(index=[10, 11])  # and two never came back
    ev = mm.read_evaluation(form, RESULT, n_boot=20)
    assert len(ev.answers) == len(keep) - 5
    assert ev.participation["answered"].sum() == len(keep) - 5
    assert ev.participation["invited"].tolist() == [len(RESULT.pairs)] * 2
    # rows 0-1 and 10-11 are the mentor and mentee of two pairs; row 2 one of a third
    assert (ev.by_pair["respondents"] == 0).sum() == 2
    assert (ev.by_pair["respondents"] == 1).sum() == 1
    assert ev.by_pair["outcome"].isna().sum() == 2


def test_the_caller_table_is_not_changed() -> None:
    form = filled(RESULT, "en")
    before = form.copy()
    mm.read_evaluation(form, RESULT, n_boot=20)
    pd.testing.assert_frame_equal(form, before)


@pytest.mark.parametrize(
    ("content", "suffix", "message"),
    [
        (b"", ".csv", "the file is empty"),
        (b"x", ".txt", "unsupported file type '.txt'"),
        (b"{", ".json", "not a readable json table"),
        (b'{"a": 1}', ".json", "expected a JSON list of objects"),
        (b"not a workbook", ".xlsx", "not a readable xlsx table"),
    ],
)
def test_unreadable_files_are_named(
    tmp_path: Path, content: bytes, suffix: str, message: str
) -> None:
    path = tmp_path / f"answers{suffix}"
    path.write_bytes(content)
    with pytest.raises(mm.InputError, match=message):
        mm.read_evaluation(path, RESULT)


def test_bad_arguments_are_named() -> None:
    with pytest.raises(mm.InputError, match="argument 'result'"):
        mm.evaluation_form("pairs.xlsx")  # type: ignore[arg-type]
    with pytest.raises(mm.InputError, match="argument 'language': expected 'en', 'sv' or 'nb'"):
        mm.evaluation_form(RESULT, language="fi")
    with pytest.raises(mm.InputError) as error:
        mm.read_evaluation(filled(RESULT), RESULT, seed=-1, n_boot="many", plan=RESULT)  # type: ignore[arg-type]
    assert {v.argument for v in error.value.violations} == {"seed", "n_boot", "plan"}
    with pytest.raises(mm.InputError, match="argument 'path'"):
        mm.read_evaluation(42, RESULT)  # type: ignore[arg-type]


def _values(n: int, seed: int) -> pd.DataFrame:
    return pd.DataFrame(np.random.default_rng(seed).random((n, len(CRITERIA))), columns=CRITERIA)


@pytest.mark.parametrize(
    "truth",
    [
        dict(zip(CRITERIA, [0.05, 0.10, 0.15, 0.20, 0.22, 0.28], strict=True)),
        dict(zip(CRITERIA, [0.30, 0.04, 0.24, 0.10, 0.16, 0.16 - 1e-9], strict=True)),
    ],
)
def test_the_proposal_recovers_the_ranking_of_known_weights(truth: dict[str, float]) -> None:
    current = {c: w / sum(DEFAULT_WEIGHTS.values()) for c, w in DEFAULT_WEIGHTS.items()}
    result = synthetic_round(_values(400, 1), current)
    ev = mm.read_evaluation(answers_from(result, truth, noise=0.6, seed=2), result, n_boot=300)
    assert ev.analysis.conclusion == "move"
    proposed = ev.criteria.set_index("criterion")["proposed"]
    order = sorted(CRITERIA, key=truth.__getitem__)
    assert stats.spearmanr([truth[c] for c in order], proposed[order]).statistic > 0.94
    strict = [c for c in order if truth[c] not in (0.16, 0.16 - 1e-9)]
    assert proposed[strict].is_monotonic_increasing
    assert (ev.criteria["verdict"] == "better").all()
    mm.match(COHORT, weights=ev.proposed_weights)  # goes straight into the next round


def test_fifteen_pairs_of_noise_keep_the_weights() -> None:
    current = {c: w / sum(DEFAULT_WEIGHTS.values()) for c, w in DEFAULT_WEIGHTS.items()}
    kept = 0
    for seed in range(5):
        result = synthetic_round(_values(15, seed), current)
        flat = dict.fromkeys(CRITERIA, 0.0)  # outcomes unrelated to the criteria
        ev = mm.read_evaluation(
            answers_from(result, flat, noise=1.0, seed=seed), result, n_boot=200
        )
        if ev.analysis.conclusion in ("noise", "unclear"):
            kept += 1
            assert ev.proposed_weights == {c: round(w, 2) for c, w in current.items()}
            assert "Keep the current weights" in ev.reasoning
    assert kept >= 4


def test_fifteen_pairs_move_the_weights_little() -> None:
    current = dict.fromkeys(CRITERIA, 1 / 6)
    truth = dict.fromkeys(CRITERIA, 0.0) | {"themes": 1.0}
    result = synthetic_round(_values(15, 7), current)
    ev = mm.read_evaluation(answers_from(result, truth, noise=0.3, seed=7), result, n_boot=300)
    assert ev.analysis.conclusion == "move"
    assert ev.analysis.share == pytest.approx(15 / 45)
    table = ev.criteria.set_index("criterion")
    assert table.loc["themes", "verdict"] == "better"
    assert 1 / 6 < table.loc["themes", "proposed"] < 1 / 6 + (1 - 1 / 6) / 3 + 0.01
    assert "33%" in ev.reasoning


def test_too_few_pairs_and_constant_criteria_say_so() -> None:
    values = _values(4, 0)
    values["level"] = 1.0
    current = dict.fromkeys(CRITERIA, 1 / 6)
    result = synthetic_round(values, current)
    ev = mm.read_evaluation(answers_from(result, current, noise=0.5, seed=0), result)
    assert ev.analysis.conclusion == "few"
    assert "Only 4 pairs" in ev.reasoning
    assert ev.criteria.set_index("criterion").loc["level", "verdict"] == "no variation"


def test_the_same_answers_give_the_same_evaluation() -> None:
    form = filled(RESULT, "en", seed=4)
    a = mm.read_evaluation(form, RESULT, n_boot=100)
    b = mm.read_evaluation(form.sample(frac=1.0, random_state=1), RESULT, n_boot=100)
    pd.testing.assert_frame_equal(a.criteria, b.criteria)
    pd.testing.assert_frame_equal(a.summary, b.summary)


def test_a_chance_interval_clear_of_zero_does_not_move_the_weights() -> None:
    """With six criteria, some interval clears zero by chance; the permutation test guards."""
    current = dict.fromkeys(CRITERIA, 1 / 6)
    guarded = 0
    for seed in range(8):  # in 4 of these 8, an interval clears zero by chance
        values = _values(15, seed)
        outcome = pd.Series(np.random.default_rng(100 + seed).normal(3.5, 0.7, 15))
        analysis = analyse(values, outcome, current, seed=seed, n_boot=200)
        clear = analysis.table["verdict"].isin(["better", "worse"]).any()
        if clear and analysis.p_value > 0.10:
            guarded += 1
            assert analysis.conclusion == "noise"
            assert analysis.proposed == {c: 0.17 for c in CRITERIA}
    assert guarded >= 2
