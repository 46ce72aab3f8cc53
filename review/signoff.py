"""Sign-off per approver: the one place a flag's status is computed from its decisions.

A flag names the approvers its approval needs (finance, legal, ...). Legal records each
approver's decision on their behalf: `accept` signs off for that approver, `reject` refuses
the deviation, `escalate` sends it up, which adds the executive team to the approvers the flag
needs. A flag is accepted only when every approver it needs has accepted, so one accept no
longer clears a flag that needs finance and the executive team.

Decisions stored before sign-off per approver existed have no approver: each applied to the
whole flag, and still does (every approver gets that decision).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

ApproverState = Literal["pending", "accepted", "rejected", "escalated"]
FlagState = Literal["open", "accepted", "rejected", "escalated"]

ESCALATION_APPROVER = "executive"
# A flag whose rule names nobody still needs someone: legal reviews it.
DEFAULT_APPROVER = "legal"

_STATE = {"accept": "accepted", "reject": "rejected", "escalate": "escalated"}


@dataclass(frozen=True)
class Vote:
    """One stored decision, oldest first: who it was for (None: the whole flag) and what."""

    approver: str | None
    decision: str
    index: int  # position in the flag's history


@dataclass(frozen=True)
class SignoffState:
    status: FlagState
    required: list[str]  # every approver the flag needs now, in order
    states: dict[str, ApproverState]
    latest: dict[str, int]  # approver -> index of the vote that set its state
    pending: list[str]  # approvers whose sign-off is still outstanding


def required_approvers(approvers: Sequence[str], escalated: bool) -> list[str]:
    req = list(dict.fromkeys(a for a in approvers if a)) or [DEFAULT_APPROVER]
    if escalated and ESCALATION_APPROVER not in req:
        req.append(ESCALATION_APPROVER)
    return req


def signoff_state(approvers: Sequence[str], votes: Iterable[Vote]) -> SignoffState:
    """Each approver's latest decision, and the flag's status rolled up from them:
    rejected if anyone rejected; accepted when everyone needed accepted (an executive accept
    also settles the escalations it was asked for); escalated while an escalation waits;
    otherwise open."""
    votes = list(votes)
    escalated = any(v.decision == "escalate" for v in votes)
    req = required_approvers(approvers, escalated)
    states: dict[str, ApproverState] = {a: "pending" for a in req}
    latest: dict[str, int] = {}
    for v in votes:
        targets = req if v.approver is None else [v.approver]
        for a in targets:
            if a in states:
                states[a] = _STATE.get(v.decision, "pending")  # type: ignore[assignment]
                latest[a] = v.index
    exec_ok = states.get(ESCALATION_APPROVER) == "accepted"
    if exec_ok:
        # the executive team decided what was escalated to it
        states = {a: ("accepted" if s == "escalated" else s) for a, s in states.items()}
    status: FlagState
    if any(s == "rejected" for s in states.values()):
        status = "rejected"
    elif all(s == "accepted" for s in states.values()):
        status = "accepted"
    elif any(s == "escalated" for s in states.values()):
        status = "escalated"
    else:
        status = "open"
    pending = [a for a in req if states[a] == "pending"]
    waiting = any(s == "escalated" for s in states.values())
    if waiting and ESCALATION_APPROVER not in pending:
        pending.append(ESCALATION_APPROVER)  # the escalation waits for the executive team
    return SignoffState(status, req, states, latest, pending)


def default_approver(state: SignoffState) -> str | None:
    """Whom a decision without a named approver is for: the flag's only approver, or the
    only one whose sign-off is outstanding; None when that is ambiguous."""
    if len(state.required) == 1:
        return state.required[0]
    if len(state.pending) == 1:
        return state.pending[0]
    return None


__all__ = [
    "DEFAULT_APPROVER",
    "ESCALATION_APPROVER",
    "SignoffState",
    "Vote",
    "default_approver",
    "required_approvers",
    "signoff_state",
]
