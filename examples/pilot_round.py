# %% [markdown]
# # A pairing round, from the sheet to the pairs
#
# The secretariat of a Nordic chief executives' mentoring pilot has a sheet of
# 20 mentors and 30 mentees (fictional people, real municipalities). This
# script reads it, looks at the compatibility scores, pairs them under the
# pilot's rules, explains the result and exports it. Run it as a script, or
# open it in Jupyter or VS Code as a notebook (each `# %%` is a cell).

# %%
import sys
import tempfile
from pathlib import Path

import mentormatch as mm

out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())

# %% [markdown]
# ## 1. Read and check the sheet
# `read_cohort` reports every problem of the file at once, by row and column.

# %%
cohort = mm.example_cohort()  # or: mm.read_cohort("our_candidates.xlsx")
print(cohort.summary())

# %% [markdown]
# ## 2. Score compatibility
# Themes sought against themes offered count three times as much as the rest.

# %%
weights = {"themes": 3, "experience": 1, "size": 1, "level": 0.5, "language": 1, "proximity": 1}
scores = mm.score(cohort, weights=weights)
print(scores.matrix.round(2).iloc[:5, :6])
print(scores.reason("M001", "E002"))

# %% [markdown]
# ## 3. Pair under the programme's rules
# 8 to 15 pairs, never two people of one organisation, the `avoid` column
# honoured, at most 3 pairs per mentee region, and no pair more than 900 km
# apart, so that the first and last meetings can be in person.

# %%
rules = [
    mm.PairCount(min=8, max=15),
    mm.AvoidSameOrganisation(),
    mm.AvoidDeclared(),
    mm.RegionQuota(max=3),
    mm.MaxDistance(km=900),
]
result = mm.match(cohort, rules=rules, weights=weights, seed=0)
print(result.summary())
print(result.pairs[["mentor_id", "mentee_id", "score", "distance_km"]].round(2))

# %% [markdown]
# ## 4. Explain
# Every pair and every person left out has a reason in plain words. The reasons
# in `result.pairs` and `result.unmatched` can be handed to the people concerned:
# they never reveal anyone else's declared conflicts. `result.explain` names
# every rule and person, for the secretariat only.

# %%
print(result.pairs["reason"].iloc[0])
print(result.explain(result.pairs["mentee_id"].iloc[0]))
print(result.unmatched.head())

# %% [markdown]
# ## 5. Export for the steering group
# Only the files asked for are written. The workbook keeps the full explanations
# apart, in a sheet marked `internal - secretariat only`; the CSV file lists the
# pairs, then everyone left out, and opens in Excel as it is.

# %%
written = [
    result.to_excel(out / "pairs.xlsx"),
    result.to_csv(out / "pairs.csv"),
    result.to_json(out / "pairs.json"),
]
mm.save_rules(rules, out / "rules.toml")
print("written:", *written, out / "rules.toml", sep="\n  ")
