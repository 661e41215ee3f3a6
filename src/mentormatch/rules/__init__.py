"""The programme's rules: small declarative models, each compiled once into one problem.

A rule is a frozen pydantic model with a ``kind`` tag, so a rule set saves to
and loads from JSON or TOML (:func:`save_rules`, :func:`load_rules`).
:func:`compile_rules` turns a cohort, its rules and a score matrix into one
solver-neutral :class:`~mentormatch.problem.Problem`: forbidding rules into the
allowed-pair mask (``NoRepeat`` too), ``PairCount`` into pair-count bounds,
``Quota`` and ``RegionQuota`` into group limits with minimums and maximums,
``Stable`` into the problem's preferences, ``Lock`` into locked pairs; mentor
capacity comes from the cohort. ``str(rule)`` reads like the constructor call, and that text names
the rule in conflicts and explanations.

Organisations are compared as one employer whatever the spelling (``"Bodø"`` and
``"bodø kommune"`` are one, see :func:`mentormatch.names.organisation_key`), unless
their countries or levels differ (``"Region Uppsala"`` and ``"Uppsala kommun"`` are
two, see :func:`mentormatch.names.employer_level`); regions case-insensitively, person
ids exactly.

The modules, one family each: ``_base`` (:class:`Context`, :class:`Draft` and the
base classes), ``_pairs`` (rules that rule pairs out), ``_neighbours``
(:class:`AvoidNeighbours`, on the package's border data or yours), ``_counts``
(pair counts, quotas, locks), ``_stable`` (stability), ``_history`` (earlier rounds'
pairs), ``_union`` (the :data:`Rule` union), ``_compile`` and ``_files``.
A new rule is one new class: subclass ``_Forbidding`` and implement ``forbids``
for a rule that rules pairs out, or implement ``compile`` to add to the
:class:`Draft` otherwise; then list the class in :data:`Rule`. ``Context`` and
``Draft`` are stable for such extensions.
"""

from mentormatch.rules._base import Context, Draft
from mentormatch.rules._compile import compile_rules
from mentormatch.rules._counts import Lock, PairCount, Quota, RegionQuota
from mentormatch.rules._files import load_rules, save_rules
from mentormatch.rules._neighbours import AvoidNeighbours
from mentormatch.rules._pairs import (
    AvoidDeclared,
    AvoidSameOrganisation,
    DifferentRegion,
    Forbid,
    MaxDistance,
    NoRepeat,
    SameRegion,
)
from mentormatch.rules._stable import Stable
from mentormatch.rules._union import Rule, pilot_rules

__all__ = [
    "AvoidDeclared",
    "AvoidNeighbours",
    "AvoidSameOrganisation",
    "Context",
    "DifferentRegion",
    "Draft",
    "Forbid",
    "Lock",
    "MaxDistance",
    "NoRepeat",
    "PairCount",
    "Quota",
    "RegionQuota",
    "Rule",
    "SameRegion",
    "Stable",
    "compile_rules",
    "load_rules",
    "pilot_rules",
    "save_rules",
]
