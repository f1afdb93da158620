"""What stories cost: model tokens per role from a story's usage log, US dollars at the prices set when the
calls were made (never a made-up number: a call with no price is counted as such), and totals by beat and
by requester for `newsroom costs`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

ROLE_ORDER = ("research", "factcheck", "framing", "writer")
NO_PRICE = "no price set"
_SUMS = ("calls", "prompt_tokens", "completion_tokens", "cost_usd", "unpriced_calls")


def usage_rows(usage: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """A story's model calls summed per (role, model): calls, prompt and completion tokens, the cost of the
    priced calls and how many calls had no price. What the registry keeps for totals across stories."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for call in usage:
        role, model = str(call.get("role") or "unknown"), str(call.get("model") or "unknown")
        row = rows.setdefault((role, model), {"role": role, "model": model} | dict.fromkeys(_SUMS, 0))
        row["calls"] += 1
        row["prompt_tokens"] += int(call.get("prompt_tokens") or 0)
        row["completion_tokens"] += int(call.get("completion_tokens") or 0)
        if call.get("cost_usd") is None:
            row["unpriced_calls"] += 1
        else:
            row["cost_usd"] += float(call["cost_usd"])
    return sorted(rows.values(), key=lambda r: (_role_rank(r["role"]), r["role"], r["model"]))


def _role_rank(role: str) -> int:
    return ROLE_ORDER.index(role) if role in ROLE_ORDER else len(ROLE_ORDER)


def add_up(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The sums of several rows (calls, tokens, priced cost, unpriced calls)."""
    total: dict[str, Any] = dict.fromkeys(_SUMS, 0)
    for row in rows:
        for key in _SUMS:
            total[key] += row.get(key) or 0
    total["cost_usd"] = round(float(total["cost_usd"]), 6)
    return total


def by_role(usage: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """role -> its models, calls, tokens, cost (None when no call of it had a price) and unpriced calls:
    the methodology's per-role figures."""
    out: dict[str, dict[str, Any]] = {}
    for row in usage_rows(usage):
        out.setdefault(row["role"], {"models": [], "rows": []})
        out[row["role"]]["models"].append(row["model"])
        out[row["role"]]["rows"].append(row)
    return {role: {"models": v["models"], **priced(add_up(v["rows"]))} for role, v in out.items()}


def priced(total: dict[str, Any]) -> dict[str, Any]:
    """A total whose cost is None when none of its calls had a price (shown as "no price set", never $0)."""
    if total["calls"] and total["unpriced_calls"] == total["calls"]:
        return total | {"cost_usd": None}
    return total


def money(total: dict[str, Any]) -> str:
    """The cost of a total in words: "$0.0123", "no price set", or "$0.0123 + 2 calls with no price set"."""
    cost, unpriced = total.get("cost_usd"), int(total.get("unpriced_calls") or 0)
    if cost is None or (unpriced and unpriced == total.get("calls")):
        return NO_PRICE
    amount = f"${cost:,.4f}" if cost < 1 else f"${cost:,.2f}"
    if unpriced:
        return f"{amount} + {unpriced} call{'s' * (unpriced != 1)} with {NO_PRICE}"
    return amount


def tokens(total: dict[str, Any]) -> str:
    """ "1,234 tokens (1,000 prompt, 234 completion)"."""
    prompt, completion = int(total.get("prompt_tokens") or 0), int(total.get("completion_tokens") or 0)
    return f"{prompt + completion:,} tokens ({prompt:,} prompt, {completion:,} completion)"


def totals_by(rows: Iterable[dict[str, Any]], key: str, missing: str = "(none)") -> list[dict[str, Any]]:
    """Registry usage rows (with story_id, beat, requested_by) totalled by `key`: one row per value of it,
    with how many stories it covers, largest cost first; rows without the key are under `missing`."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(str(row.get(key) or missing), []).append(row)
    out = [
        {key: name, "stories": len({r["story_id"] for r in members}), **priced(add_up(members))}
        for name, members in groups.items()
    ]
    return sorted(out, key=lambda r: (-(r["cost_usd"] or 0), -(r["prompt_tokens"] + r["completion_tokens"])))
