"""CUAD scorer: span AUPR / precision at recall, clause presence F1 and answer accuracy.

Pure functions, no CLI. `load_gold` reads the converted CUAD labels (``labels.jsonl`` and
``categories.json``), `load_predictions` a predictions JSONL (one line per contract and
category), `score` computes a `CuadReport` and `render` prints it as a table.

Span metric, as in the CUAD paper (Hendrycks et al. 2021) and its ``evaluate.py``:

* a predicted span matches a gold clause when the word-level Jaccard similarity of their
  texts is >= 0.5 (lower-case, drop ``. , ; :``, ``/`` -> space, split on whitespace); for
  ``Parties`` a containment of one normalised text in the other (on word boundaries) also
  matches;
* for every threshold in 0.99, 0.98, ..., 0.01, 0.001, 0 the spans with ``score >= threshold``
  are kept; per (contract, category) TP = gold clauses matched by a kept span, FP = kept spans
  matching no gold clause, FN = gold clauses not matched; counts are summed (micro);
* the curve starts with the anchor point (recall 0, precision 1), then one point per threshold
  from high to low (recall never decreases along it). Precision at a threshold with no kept
  span is undefined (``None`` in `PRPoint.precision`); it is not used directly;
* interpolated precision at a point = max raw precision of that point and every later
  (lower-threshold, higher-recall) point, the anchor's 1.0 included for the anchor only;
  undefined precisions are skipped, as the official running ``max`` does with NaN;
* AUPR = trapezoid rule over (recall, interpolated precision) of all points, the anchor
  included (the official script uses ``sklearn.metrics.auc``, also trapezoidal);
* precision at 80 % / 90 % recall = interpolated precision of the first point (in sweep
  order) whose recall reaches the level, i.e. the best raw precision among points with at
  least that recall; 0.0 when no threshold reaches it.

Deliberate differences from the official script: spans are kept with ``score >= threshold``
(official: ``>``), words are split on any whitespace (official: on ``" "``), the Parties
containment goes both ways on normalised text (official: raw gold text in raw prediction),
and the AUPR of a category without any gold clause is ``None`` (official: 0). As officially,
spans with empty text are ignored and identical span texts within one (contract, category)
are counted once (with their highest score).
"""

from __future__ import annotations

import difflib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from io import StringIO
from itertools import pairwise
from pathlib import Path
from typing import Literal, NamedTuple

import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from rich.console import Console
from rich.table import Table

JACCARD_THRESHOLD = 0.5
#: Confidence thresholds swept, high to low: 0.99 ... 0.01, then 0.001 and 0.
THRESHOLDS: tuple[float, ...] = (*(round(0.99 - 0.01 * i, 2) for i in range(99)), 0.001, 0.0)
PARTIES = "Parties"
#: Value categories whose answers are the targets of answer accuracy.
ANSWER_TARGETS: tuple[str, ...] = (
    "Agreement Date",
    "Effective Date",
    "Expiration Date",
    "Renewal Term",
    "Notice Period To Terminate Renewal",
    "Governing Law",
)
#: Value categories whose answer accuracy is reported but not a target.
ANSWER_REPORTED: tuple[str, ...] = ("Document Name", "Parties")
DATE_CATEGORIES = frozenset({"Agreement Date", "Effective Date", "Expiration Date"})
DURATION_CATEGORIES = frozenset({"Renewal Term", "Notice Period To Terminate Renewal"})
_MAX_LISTED_IDS = 20


# --------------------------------------------------------------------------- models


class GoldClause(BaseModel):
    model_config = ConfigDict(extra="ignore")

    text: str
    start: int | None = None
    end: int | None = None
    match: str | None = None


class GoldCategory(BaseModel):
    model_config = ConfigDict(extra="ignore")

    answer: str | None = None
    clauses: list[GoldClause] = Field(default_factory=list)
    answer_type: Literal["yes_no", "value"] | None = None


class PredictedSpan(BaseModel):
    model_config = ConfigDict(extra="ignore")

    start: int | None = None
    end: int | None = None
    text: str = ""
    score: float = Field(ge=0.0, le=1.0)


class Prediction(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    category: str
    answer: str | None = None
    spans: list[PredictedSpan] = Field(default_factory=list)


class PRPoint(BaseModel):
    """One point of the sweep. ``threshold`` is None for the (recall 0, precision 1) anchor."""

    threshold: float | None
    precision: float | None  # None: no span kept at this threshold
    recall: float
    interpolated_precision: float
    tp: int
    fp: int
    fn: int


class AnswerAccuracy(BaseModel):
    category: str
    target: bool
    accuracy: float | None  # correct / scored, over contracts whose gold answer is non-null
    n_scored: int
    n_correct: int
    n_unscorable: int  # non-null gold that normalises to nothing (e.g. "[]/[]/[]", "[]")
    null_agreement: float | None  # share of null-gold contracts whose prediction is null too
    n_null_gold: int
    n_null_agree: int


class CategoryReport(BaseModel):
    answer_type: Literal["yes_no", "value"] | None
    n_gold_contracts: int
    n_gold_clauses: int
    aupr: float | None  # None when the category has no gold clause anywhere
    precision_at_80: float | None
    presence_f1: float | None
    presence_precision: float | None
    presence_recall: float | None
    answer_accuracy: float | None  # value categories only


class ScoreWarnings(BaseModel):
    unknown_id_lines: int = 0
    unknown_ids: list[str] = Field(default_factory=list)  # first few, sorted
    unknown_category_lines: int = 0
    duplicate_lines: int = 0  # same (id, category) twice: spans merged, first non-null answer
    empty_text_spans: int = 0  # ignored
    contracts_without_predictions: int = 0


class CuadReport(BaseModel):
    n_contracts: int
    n_categories: int
    n_gold_clauses: int
    n_prediction_lines: int
    aupr: float
    precision_at_80: float
    precision_at_90: float
    pr_curve: list[PRPoint]
    presence_threshold: float
    presence_macro_f1: float | None
    per_category: dict[str, CategoryReport]
    answer_accuracy: dict[str, AnswerAccuracy]
    answer_accuracy_mean: float | None  # macro mean over ANSWER_TARGETS with a defined figure
    warnings: ScoreWarnings
    method: str = (
        "micro TP/FP/FN over (contract, category), Jaccard>=0.5 (Parties: containment too), "
        "spans kept when score>=threshold; AUPR = trapezoid over recall of the interpolated "
        "(running max from high recall) precision with a (0, 1) anchor"
    )


# --------------------------------------------------------------------------- loading


def load_gold(cuad_dir: Path, ids: set[str] | None = None) -> dict[str, dict[str, GoldCategory]]:
    """Gold labels by contract id, then category name.

    ``ids`` restricts to those contracts; an id that is not in the labels raises ValueError.
    """
    cuad_dir = Path(cuad_dir)
    answer_types: dict[str, Literal["yes_no", "value"]] = {}
    categories_path = cuad_dir / "categories.json"
    if categories_path.exists():
        for entry in json.loads(categories_path.read_text(encoding="utf-8"))["categories"]:
            answer_types[entry["name"]] = entry["answer_type"]
    gold: dict[str, dict[str, GoldCategory]] = {}
    with (cuad_dir / "labels.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            record = json.loads(line)
            cid = record["id"]
            if ids is not None and cid not in ids:
                continue
            gold[cid] = {
                name: GoldCategory.model_validate({**value, "answer_type": answer_types.get(name)})
                for name, value in record["categories"].items()
            }
    if ids is not None:
        missing = sorted(ids - gold.keys())
        if missing:
            raise ValueError(f"{len(missing)} requested ids not in the labels: {missing[:5]}")
    return gold


def load_predictions(path: Path) -> list[Prediction]:
    """Predictions JSONL: one `Prediction` per non-blank line."""
    out: list[Prediction] = []
    with Path(path).open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                out.append(Prediction.model_validate_json(line))
            except ValueError as exc:
                raise ValueError(f"{path}:{number}: invalid prediction: {exc}") from exc
    return out


# --------------------------------------------------------------------------- span matching


def normalize_words(text: str) -> list[str]:
    """Words as the CUAD Jaccard sees them: lower-case, no . , ; :, / as a space."""
    for char in ".,;:":
        text = text.replace(char, "")
    return text.lower().replace("/", " ").split()


def jaccard(a: str, b: str) -> float:
    """Word-set Jaccard similarity of two texts after `normalize_words` (0 when both empty)."""
    sa, sb = set(normalize_words(a)), set(normalize_words(b))
    union = sa | sb
    return len(sa & sb) / len(union) if union else 0.0


def _contained(a: str, b: str) -> bool:
    """Normalised ``a`` occurs in normalised ``b`` on word boundaries (``a`` non-empty)."""
    if not a:
        return False
    return f" {a} " in f" {b} "


def spans_match(pred_text: str, gold_text: str, category: str) -> bool:
    """Whether a predicted span text matches a gold clause text for ``category``."""
    if jaccard(pred_text, gold_text) >= JACCARD_THRESHOLD:
        return True
    if category == PARTIES:
        p = " ".join(normalize_words(pred_text))
        g = " ".join(normalize_words(gold_text))
        return _contained(p, g) or _contained(g, p)
    return False


class _Item(NamedTuple):
    """Per (contract, category) scores reduced for the sweep."""

    gold_best: list[float]  # per gold clause: best score of a matching span, -1 when none
    fp_scores: list[float]  # scores of spans that match no gold clause


def _reduce_item(spans: dict[str, float], clauses: Sequence[GoldClause], category: str) -> _Item:
    gold_words = [
        (c.text, set(normalize_words(c.text)), " ".join(normalize_words(c.text))) for c in clauses
    ]
    gold_best = [-1.0] * len(gold_words)
    fp_scores: list[float] = []
    for text, span_score in spans.items():
        words = normalize_words(text)
        pset, pjoined = set(words), " ".join(words)
        matched = False
        for gi, (_, gset, gjoined) in enumerate(gold_words):
            union = pset | gset
            ok = bool(union) and len(pset & gset) / len(union) >= JACCARD_THRESHOLD
            if not ok and category == PARTIES:
                ok = _contained(pjoined, gjoined) or _contained(gjoined, pjoined)
            if ok:
                matched = True
                gold_best[gi] = max(gold_best[gi], span_score)
        if not matched:
            fp_scores.append(span_score)
    return _Item(gold_best=gold_best, fp_scores=fp_scores)


# --------------------------------------------------------------------------- PR curve


def interpolate_precision(precisions: Sequence[float | None]) -> list[float]:
    """Running max from the end (high recall) back: precision never rises with recall.

    ``None`` (undefined precision) takes the running max of the later points, or 0.0.
    """
    out = [0.0] * len(precisions)
    best: float | None = None
    for i in range(len(precisions) - 1, -1, -1):
        p = precisions[i]
        if p is not None and (best is None or p > best):
            best = p
        out[i] = best if best is not None else 0.0
    return out


def pr_curve_from_counts(
    counts: Sequence[tuple[float, int, int, int]],
) -> list[PRPoint]:
    """Curve from ``(threshold, tp, fp, fn)`` rows in sweep order, the (0, 1) anchor first.

    Recall is 0 where there is no gold clause at all.
    """
    raw: list[tuple[float | None, float | None, float, int, int, int]] = [(None, 1.0, 0.0, 0, 0, 0)]
    for threshold, tp, fp, fn in counts:
        precision = tp / (tp + fp) if tp + fp else None
        recall = tp / (tp + fn) if tp + fn else 0.0
        raw.append((threshold, precision, recall, tp, fp, fn))
    interpolated = interpolate_precision([r[1] for r in raw])
    return [
        PRPoint(threshold=t, precision=p, recall=r, interpolated_precision=ip, tp=tp, fp=fp, fn=fn)
        for (t, p, r, tp, fp, fn), ip in zip(raw, interpolated, strict=True)
    ]


def aupr_of(curve: Sequence[PRPoint]) -> float:
    """Trapezoid area under (recall, interpolated precision)."""
    area = 0.0
    for a, b in pairwise(curve):
        area += (b.recall - a.recall) * (a.interpolated_precision + b.interpolated_precision) / 2
    return area


def precision_at_recall(curve: Sequence[PRPoint], level: float) -> float:
    """Interpolated precision at the first point whose recall reaches ``level``; else 0."""
    for point in curve:
        if point.recall >= level - 1e-12:
            return point.interpolated_precision
    return 0.0


def _sweep(
    items: Iterable[_Item], thresholds: Sequence[float]
) -> list[tuple[float, int, int, int]]:
    best: list[float] = []
    fps: list[float] = []
    for item in items:
        best.extend(item.gold_best)
        fps.extend(item.fp_scores)
    n_gold = len(best)
    best_sorted = np.sort(np.asarray(best, dtype=float))
    fp_sorted = np.sort(np.asarray(fps, dtype=float))
    rows: list[tuple[float, int, int, int]] = []
    for t in thresholds:
        tp = n_gold - int(np.searchsorted(best_sorted, t, side="left"))
        fp = len(fp_sorted) - int(np.searchsorted(fp_sorted, t, side="left"))
        rows.append((t, tp, fp, n_gold - tp))
    return rows


# --------------------------------------------------------------------------- answers

_ORDINAL = re.compile(r"\b(\d{1,2})(st|nd|rd|th)\b")
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%m-%d-%Y",
    "%B %d, %Y",
    "%B %d %Y",
    "%b %d, %Y",
    "%b %d %Y",
    "%d %B %Y",
    "%d %B, %Y",
    "%d %b %Y",
    "%d %b, %Y",
)
_PARTIAL_FORMATS = (("%B %Y", "ym"), ("%b %Y", "ym"), ("%Y-%m", "ym"), ("%Y", "y"))

PartialDate = tuple[int | None, int | None, int | None]  # (year, month, day)
DateValue = PartialDate | Literal["perpetual"]


def _expand_year(part: str) -> int | None:
    if re.fullmatch(r"\d{4}", part):
        return int(part)
    if re.fullmatch(r"\d{2}", part):  # as strptime's %y: 69-99 -> 19xx, 00-68 -> 20xx
        yy = int(part)
        return 1900 + yy if yy >= 69 else 2000 + yy
    return None


def parse_date(text: str) -> DateValue | None:
    """One date answer as (year, month, day) with None for unknown parts, or "perpetual".

    Handles CUAD's ``m/d/yy`` (``4/8/20``), ``mm/[]/yyyy``, ``[]/[]/yyyy``, ``d/m/yyyy`` when
    the first number cannot be a month, ISO and spelled-out dates. None when nothing is known.
    """
    s = text.strip().lower()
    if not s:
        return None
    if "perpetual" in s or "indefinite" in s:
        return "perpetual"
    s = _ORDINAL.sub(r"\1", s).replace(".", " ").replace("sept ", "sep ")
    s = " ".join(s.split())
    s = s.replace(" ,", ",")
    if "/" in s:
        parts = [p.strip() for p in s.split("/")]
        if len(parts) != 3:
            return None
        month = int(parts[0]) if parts[0].isdigit() else None
        day = int(parts[1]) if parts[1].isdigit() else None
        year = _expand_year(parts[2])
        if month is not None and month > 12 and day is not None and day <= 12:
            month, day = day, month
        if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
            return None
        if year is None and month is None and day is None:
            return None
        return (year, month, day)
    for fmt in _DATE_FORMATS:
        try:
            d = datetime.strptime(s, fmt)
        except ValueError:
            continue
        return (d.year, d.month, d.day)
    for fmt, known in _PARTIAL_FORMATS:
        try:
            d = datetime.strptime(s, fmt)
        except ValueError:
            continue
        return (d.year, d.month if "m" in known else None, None)
    return None


def date_matches(pred: DateValue, gold: DateValue) -> bool:
    """Every part known in gold must be known and equal in the prediction."""
    if pred == "perpetual" or gold == "perpetual":
        return pred == gold
    return all(g is None or p == g for p, g in zip(pred, gold, strict=True))


_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_TENS_COMPOUND = re.compile(
    r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ]"
    r"(one|two|three|four|five|six|seven|eight|nine)\b"
)
_DURATION = re.compile(
    r"(\d+(?:\.\d+)?)\s*(years?|yrs?|months?|mos?|weeks?|wks?|(?:business |calendar )?days?)\b"
)
_UNIT_DAYS = {"y": 365.0, "m": 30.0, "w": 7.0, "d": 1.0}


class Duration(BaseModel):
    """A normalised duration: ``days`` with 1 year = 365, 1 month = 30, 1 week = 7 days;
    ``months`` as well when it is made of years and months only (1 year = 12 months)."""

    model_config = ConfigDict(frozen=True)

    days: float
    months: float | None


DurationValue = Duration | Literal["perpetual"]


def parse_duration(text: str) -> DurationValue | None:
    """One duration answer (``"successive 1 year"``, ``"4 years, 6 months"``, ``"six (6)
    months"``, ``"perpetual"``); the number right before each unit counts, pieces add up."""
    s = text.strip().lower()
    if not s:
        return None
    if "perpetual" in s or "indefinite" in s:
        return "perpetual"
    s = _TENS_COMPOUND.sub(lambda m: str(_NUMBER_WORDS[m[1]] + _NUMBER_WORDS[m[2]]), s)
    s = re.sub(r"[a-z]+", lambda m: str(_NUMBER_WORDS.get(m[0], m[0])), s)
    s = s.replace("(", " ").replace(")", " ")
    pieces = _DURATION.findall(s)
    if not pieces:
        return None
    days = 0.0
    months = 0.0
    calendar_only = True  # years and months only: comparable in months too
    for number, unit in pieces:
        value = float(number)
        key = unit.split()[-1][0]
        days += value * _UNIT_DAYS[key]
        if key == "y":
            months += value * 12
        elif key == "m":
            months += value
        else:
            calendar_only = False
    return Duration(days=days, months=months if calendar_only else None)


def duration_matches(pred: DurationValue, gold: DurationValue) -> bool:
    """Equal as whole calendar units (12 months == 1 year) or as days (30 days == 1 month)."""
    if isinstance(pred, str) or isinstance(gold, str):
        return pred == gold
    if (
        pred.months is not None
        and gold.months is not None
        and abs(pred.months - gold.months) < 1e-9
    ):
        return True
    return abs(pred.days - gold.days) < 1e-6


_JURISDICTION_ALIASES = {
    "people's republic of china": "china",
    "prc": "china",
    "pr china": "china",
    "uk": "united kingdom",
    "great britain": "united kingdom",
    "us": "united states",
    "usa": "united states",
    "united states of america": "united states",
    "massachussets": "massachusetts",
    "dc": "district of columbia",
    "washington dc": "district of columbia",
}
_COUNTRY_QUALIFIERS = frozenset({"united states", "united kingdom", "canada", "australia"})
_JURISDICTION_PREFIX = re.compile(
    r"^(?:(?:the|this agreement|agreement|governed by|governing|laws?|of|in|and)\s+)*"
    r"(?:(?:state|commonwealth|province|federal republic|republic|kingdom|government)\s+of\s+"
    r"(?:the\s+)?)?"
)
_JURISDICTION_SUFFIX = re.compile(r"\s+(?:state|laws?)$")


def normalize_jurisdictions(text: str) -> frozenset[str]:
    """Governing law as a set of jurisdiction names.

    ``"State of New York"``, ``"laws of the State of Delaware, USA"`` -> {new york}/{delaware};
    ``"England and Wales, UK"`` == ``"England; Wales"``; ``"Province of Ontario, Canada"`` ==
    ``"Ontario, Canada"``; country qualifiers are dropped when a narrower name remains.
    """
    s = text.lower().replace("’", "'").replace(".", "")
    names: list[str] = []
    for raw in re.split(r";|,|&|/|\band\b", s):
        part = re.sub(r"[^a-z0-9' ]+", " ", raw)
        part = " ".join(part.split())
        part = _JURISDICTION_ALIASES.get(part, part)
        part = _JURISDICTION_PREFIX.sub("", part)
        part = _JURISDICTION_SUFFIX.sub("", part).strip()
        part = _JURISDICTION_ALIASES.get(part, part)
        if part and any(ch.isalpha() for ch in part):
            names.append(part)
    narrower = [n for n in names if n not in _COUNTRY_QUALIFIERS]
    return frozenset(narrower or names)


_PARENTHETICAL = re.compile(r"\([^)]*\)")
_COMPANY_SUFFIX = re.compile(
    r"\b(?:inc|incorporated|llc|l l c|ltd|limited|corp|corporation|co|company|plc|lp|llp|"
    r"sa|ag|gmbh|bv|nv)\b"
)


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w ]+", " ", text.lower()).split())


def _balanced(entry: str) -> str:
    """An answer entry without the stray bracket of a list wrapped in parentheses: the gold
    '(DGT Corp. ("DGT"); Dolphin Industries Limited ("Dolphin")' opens its first entry with a
    "(" that is never closed, which would otherwise swallow the name."""
    entry = entry.strip()
    while entry.startswith("(") and entry.count("(") > entry.count(")"):
        entry = entry[1:].strip()
    while entry.endswith(")") and entry.count(")") > entry.count("("):
        entry = entry[:-1].strip()
    return entry


def normalize_parties(text: str) -> frozenset[str]:
    """Parties as a set of names: split on ``;``, defined terms in parentheses, punctuation
    and company suffixes (inc, llc, ltd, corp, ...) removed."""
    names = set()
    for raw in map(_balanced, text.split(";")):
        name = _COMPANY_SUFFIX.sub(" ", _plain(_PARENTHETICAL.sub(" ", raw)))
        name = " ".join(name.split())
        if name:
            names.add(name)
    return frozenset(names)


# A gold entry that defines the parties together ('Loop and JVC (individually a "Party",
# together the "Parties")', 'Lender, Endorser and Fitness ("AS Parties")') names no party of
# its own: its words before any parenthesis are empty, join other names with "and", or are
# only defined terms of the answer.
# The defined term must be "Party" or "Parties" itself: 'X and Y ("Party A")' names one party.
_COLLECTIVE_ENTRY = re.compile(r"[\"“”]\s*(?:a\s+|the\s+)?Part(?:y|ies)\s*[\"“”]", re.I)
# "together with its successors" keeps the party; "together the Parties" does not.
_COLLECTIVE_WORDS = re.compile(
    r"\b(?:individually|collectively|together(?!\s+with\b)|referred)\b", re.I
)
_TYPO_RATIO = 0.8
_QUOTED = re.compile(r"[\"“”]([^\"“”]{1,60})[\"“”]")


def party_names(text: str) -> list[str]:
    """The party names of an answer: `normalize_parties` per ``;`` entry, without the entries
    that only define the parties collectively."""
    entries = [_balanced(e) for e in text.split(";")]
    out: list[str] = []
    for i, raw in enumerate(entries):
        # terms defined by the other entries ("Bunker One (USA) Inc. ("Bunker One")" defines
        # its own name as its alias)
        aliases = {_plain(a) for j, e in enumerate(entries) if j != i for a in _QUOTED.findall(e)}
        head = raw.split("(")[0]
        pieces = [_plain(x) for x in re.split(r",|\band\b|&", head)]
        if not _plain(head) or all(not x or x in aliases for x in pieces):
            continue
        if (_COLLECTIVE_ENTRY.search(raw) or _COLLECTIVE_WORDS.search(head)) and (
            re.search(r"\band\b", head) or _COLLECTIVE_WORDS.search(head)
        ):
            continue
        for name in sorted(normalize_parties(raw)):
            if name not in out:
                out.append(name)
    return out


def parties_match(pred: str | None, gold: str) -> bool | None:
    """The parties rule: every gold party name is matched by a predicted name and every
    predicted name matches a gold name, where two normalised names (`party_names`) match when
    one contains the other on word boundaries ("dova pharmaceuticals" ~ "dova pharmaceuticals
    inc", "the boxlot" ~ "boxlot") or they differ by a typo (difflib ratio >= 0.8: the gold's
    "pifzer" ~ "pfizer"). Collective entries in the gold ("... together the 'Parties'") are
    not parties. None when the gold names no party."""
    golds = party_names(gold)
    if not golds:
        return None
    preds = party_names(pred or "")
    if not preds:
        return False

    def match(a: str, b: str) -> bool:
        return (
            _contained(a, b)
            or _contained(b, a)
            or difflib.SequenceMatcher(None, a, b).ratio() >= _TYPO_RATIO
        )

    return all(any(match(p, g) for p in preds) for g in golds) and all(
        any(match(p, g) for g in golds) for p in preds
    )


def _alternatives(text: str, splitter: str) -> list[str]:
    return [p for p in (x.strip() for x in re.split(splitter, text)) if p]


def answers_match(category: str, pred: str | None, gold: str) -> bool | None:
    """Whether a predicted answer equals the gold answer of a value category.

    None when the gold answer is unscorable (normalises to nothing). Dates and durations:
    gold may list several values (``;``); every value of the prediction must match one of
    them. Governing law: equal name sets. Parties: `parties_match`. Document name: equal plain
    text.
    """
    if category in DATE_CATEGORIES:
        golds_d = [g for g in (parse_date(x) for x in _alternatives(gold, ";")) if g is not None]
        if not golds_d:
            return None
        preds_d = [parse_date(x) for x in _alternatives(pred or "", ";")]
        return bool(preds_d) and all(
            p is not None and any(date_matches(p, g) for g in golds_d) for p in preds_d
        )
    if category in DURATION_CATEGORIES:
        split = r";|\s/\s|\bor\b"
        golds_u = [g for g in (parse_duration(x) for x in _alternatives(gold, split)) if g]
        if not golds_u:
            return None
        preds_u = [parse_duration(x) for x in _alternatives(pred or "", split)]
        return bool(preds_u) and all(
            p is not None and any(duration_matches(p, g) for g in golds_u) for p in preds_u
        )
    if category == "Governing Law":
        gold_set = normalize_jurisdictions(gold)
        return None if not gold_set else normalize_jurisdictions(pred or "") == gold_set
    if category == PARTIES:
        return parties_match(pred, gold)
    gold_plain = _plain(gold)
    return None if not gold_plain else _plain(pred or "") == gold_plain


# --------------------------------------------------------------------------- scoring


def _f1(tp: int, fp: int, fn: int) -> tuple[float | None, float | None, float | None]:
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    if precision is None and recall is None:
        return None, None, None
    if not precision or not recall:
        return precision, recall, 0.0
    return precision, recall, 2 * precision * recall / (precision + recall)


def score(
    gold: dict[str, dict[str, GoldCategory]],
    predictions: Sequence[Prediction],
    presence_threshold: float = 0.5,
) -> CuadReport:
    """Score predictions against gold; see the module docstring for the definitions."""
    categories: list[str] = []
    seen: set[str] = set()
    for cats in gold.values():
        for name in cats:
            if name not in seen:
                seen.add(name)
                categories.append(name)

    warnings = ScoreWarnings()
    unknown_ids: set[str] = set()
    spans_by: dict[tuple[str, str], dict[str, float]] = {}
    answer_by: dict[tuple[str, str], str | None] = {}
    for pred in predictions:
        if pred.id not in gold:
            warnings.unknown_id_lines += 1
            unknown_ids.add(pred.id)
            continue
        if pred.category not in gold[pred.id]:
            warnings.unknown_category_lines += 1
            continue
        key = (pred.id, pred.category)
        if key in spans_by:
            warnings.duplicate_lines += 1
            if answer_by[key] is None:
                answer_by[key] = pred.answer
        else:
            spans_by[key] = {}
            answer_by[key] = pred.answer
        spans = spans_by[key]
        for span in pred.spans:
            if not span.text.strip():
                warnings.empty_text_spans += 1
                continue
            spans[span.text] = max(span.score, spans.get(span.text, -1.0))
    warnings.unknown_ids = sorted(unknown_ids)[:_MAX_LISTED_IDS]
    predicted_ids = {cid for cid, _ in spans_by}
    warnings.contracts_without_predictions = sum(1 for cid in gold if cid not in predicted_ids)

    items_by_category: dict[str, list[_Item]] = defaultdict(list)
    presence: dict[str, list[int]] = {c: [0, 0, 0] for c in categories}  # tp, fp, fn
    answers: dict[str, list[int]] = {c: [0] * 5 for c in (*ANSWER_TARGETS, *ANSWER_REPORTED)}
    for cid, cats in gold.items():
        for name, gcat in cats.items():
            spans = spans_by.get((cid, name), {})
            items_by_category[name].append(_reduce_item(spans, gcat.clauses, name))
            pred_present = any(s >= presence_threshold for s in spans.values())
            gold_present = bool(gcat.clauses)
            counts = presence[name]
            if pred_present and gold_present:
                counts[0] += 1
            elif pred_present:
                counts[1] += 1
            elif gold_present:
                counts[2] += 1
            if name in answers:
                # scored, correct, unscorable, null gold, null agree
                acc = answers[name]
                pred_answer = answer_by.get((cid, name))
                if pred_answer is not None and not pred_answer.strip():
                    pred_answer = None
                if gcat.answer is None or not gcat.answer.strip():
                    acc[3] += 1
                    acc[4] += pred_answer is None
                    continue
                verdict = answers_match(name, pred_answer, gcat.answer)
                if verdict is None:
                    acc[2] += 1
                else:
                    acc[0] += 1
                    acc[1] += verdict

    all_items = [item for name in categories for item in items_by_category[name]]
    curve = pr_curve_from_counts(_sweep(all_items, THRESHOLDS))

    answer_reports: dict[str, AnswerAccuracy] = {}
    for name, (n_scored, n_correct, n_unscorable, n_null, n_agree) in answers.items():
        if name not in seen:
            continue
        answer_reports[name] = AnswerAccuracy(
            category=name,
            target=name in ANSWER_TARGETS,
            accuracy=n_correct / n_scored if n_scored else None,
            n_scored=n_scored,
            n_correct=n_correct,
            n_unscorable=n_unscorable,
            null_agreement=n_agree / n_null if n_null else None,
            n_null_gold=n_null,
            n_null_agree=n_agree,
        )

    per_category: dict[str, CategoryReport] = {}
    for name in categories:
        items = items_by_category[name]
        n_clauses = sum(len(i.gold_best) for i in items)
        cat_curve = pr_curve_from_counts(_sweep(items, THRESHOLDS)) if n_clauses else None
        p, r, f = _f1(*presence[name])
        answer_type = next((c[name].answer_type for c in gold.values() if name in c), None)
        per_category[name] = CategoryReport(
            answer_type=answer_type,
            n_gold_contracts=sum(1 for c in gold.values() if name in c and c[name].clauses),
            n_gold_clauses=n_clauses,
            aupr=aupr_of(cat_curve) if cat_curve else None,
            precision_at_80=precision_at_recall(cat_curve, 0.8) if cat_curve else None,
            presence_f1=f,
            presence_precision=p,
            presence_recall=r,
            answer_accuracy=answer_reports[name].accuracy if name in answer_reports else None,
        )

    f1s = [c.presence_f1 for c in per_category.values() if c.presence_f1 is not None]
    target_acc = [
        a.accuracy for a in answer_reports.values() if a.target and a.accuracy is not None
    ]
    return CuadReport(
        n_contracts=len(gold),
        n_categories=len(categories),
        n_gold_clauses=sum(c.n_gold_clauses for c in per_category.values()),
        n_prediction_lines=len(predictions),
        aupr=aupr_of(curve) if curve[-1].tp + curve[-1].fn else 0.0,
        precision_at_80=precision_at_recall(curve, 0.8),
        precision_at_90=precision_at_recall(curve, 0.9),
        pr_curve=curve,
        presence_threshold=presence_threshold,
        presence_macro_f1=sum(f1s) / len(f1s) if f1s else None,
        per_category=per_category,
        answer_accuracy=answer_reports,
        answer_accuracy_mean=sum(target_acc) / len(target_acc) if target_acc else None,
        warnings=warnings,
    )


# --------------------------------------------------------------------------- rendering


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def render(report: CuadReport) -> str:
    """Plain-text tables: summary, per category, answer accuracy."""
    buffer = StringIO()
    console = Console(file=buffer, width=160, no_color=True, force_terminal=False)
    console.print(
        f"CUAD: {report.n_contracts} contracts, {report.n_categories} categories, "
        f"{report.n_gold_clauses} gold clauses, {report.n_prediction_lines} prediction lines"
    )
    console.print(
        f"AUPR {_fmt(report.aupr)}   P@80%R {_fmt(report.precision_at_80)}   "
        f"P@90%R {_fmt(report.precision_at_90)}   presence macro F1 "
        f"{_fmt(report.presence_macro_f1)} (score >= {report.presence_threshold})   "
        f"answer accuracy (targets, macro) {_fmt(report.answer_accuracy_mean)}"
    )
    table = Table(title="Per category")
    table.add_column("category", no_wrap=True)
    table.add_column("type")
    for column in ("gold contracts", "clauses", "AUPR", "P@80%R", "presence P", "presence R",
                   "presence F1", "answer acc"):  # fmt: skip
        table.add_column(column, justify="right")
    for name, cat in report.per_category.items():
        table.add_row(
            name,
            cat.answer_type or "-",
            str(cat.n_gold_contracts),
            str(cat.n_gold_clauses),
            _fmt(cat.aupr),
            _fmt(cat.precision_at_80),
            _fmt(cat.presence_precision),
            _fmt(cat.presence_recall),
            _fmt(cat.presence_f1),
            _fmt(cat.answer_accuracy),
        )
    console.print(table)
    answers = Table(title="Answer accuracy (value categories)")
    for column in ("category", "target", "accuracy", "correct/scored", "unscorable",
                   "null agreement", "agree/null gold"):  # fmt: skip
        answers.add_column(column, justify="left" if column == "category" else "right")
    for name, acc in report.answer_accuracy.items():
        answers.add_row(
            name,
            "yes" if acc.target else "no",
            _fmt(acc.accuracy),
            f"{acc.n_correct}/{acc.n_scored}",
            str(acc.n_unscorable),
            _fmt(acc.null_agreement),
            f"{acc.n_null_agree}/{acc.n_null_gold}",
        )
    console.print(answers)
    w = report.warnings
    if w.unknown_id_lines or w.unknown_category_lines or w.duplicate_lines or w.empty_text_spans:
        console.print(
            f"warnings: {w.unknown_id_lines} lines with unknown ids {w.unknown_ids}, "
            f"{w.unknown_category_lines} with unknown categories, {w.duplicate_lines} duplicate "
            f"lines, {w.empty_text_spans} empty spans ignored"
        )
    if w.contracts_without_predictions:
        console.print(f"{w.contracts_without_predictions} contracts without any prediction")
    return buffer.getvalue()
