"""Taints and tolerations: parsing ``kubectl taint`` specs, matching, printing.

A taint on a node (``key=value:Effect``) repels pods; a toleration on a pod lets it stay.
Effects: ``NoSchedule`` (the scheduler places no new pods), ``PreferNoSchedule`` (it avoids
the node) and ``NoExecute`` (running pods that do not tolerate it are evicted, after their
``tolerationSeconds`` if they have one).

Taints and tolerations are plain dicts in API form: ``{"key": ..., "value": ..., "effect":
...}`` and ``{"key", "operator", "value", "effect", "tolerationSeconds"}``; absent fields
mean the empty string.

Upstream: kubectl ``pkg/cmd/taint/utils.go`` (spec parsing, messages), api ``core/v1/taint.go``
and ``toleration.go`` (``ToString``, ``ToleratesTaint``), component-helpers
``scheduling/corev1/helpers.go`` (``FindMatchingUntoleratedTaint``), the scheduler's
``tainttoleration`` plugin (message and scoring), and the ``DefaultTolerationSeconds``
admission plugin.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from k8snb.api.names import is_qualified_name, is_valid_label_value

__all__ = [
    "EFFECTS",
    "NO_EXECUTE",
    "NO_SCHEDULE",
    "PREFER_NO_SCHEDULE",
    "TAINT_NODE_NOT_READY",
    "TAINT_NODE_UNREACHABLE",
    "TAINT_NODE_UNSCHEDULABLE",
    "TaintSpecError",
    "count_intolerable_prefer_no_schedule",
    "default_toleration_seconds",
    "find_untolerated_taint",
    "parse_taint",
    "parse_taints",
    "reorganize_taints",
    "taint_for_message",
    "taint_to_string",
    "taints_already_exist",
    "toleration_tolerates",
    "tolerations_tolerate_taint",
]

NO_SCHEDULE = "NoSchedule"
PREFER_NO_SCHEDULE = "PreferNoSchedule"
NO_EXECUTE = "NoExecute"
EFFECTS = (NO_SCHEDULE, PREFER_NO_SCHEDULE, NO_EXECUTE)

# Well-known taint keys (api core/v1 well_known_taints.go).
TAINT_NODE_NOT_READY = "node.kubernetes.io/not-ready"
TAINT_NODE_UNREACHABLE = "node.kubernetes.io/unreachable"
TAINT_NODE_UNSCHEDULABLE = "node.kubernetes.io/unschedulable"
TAINT_NODE_MEMORY_PRESSURE = "node.kubernetes.io/memory-pressure"
TAINT_NODE_DISK_PRESSURE = "node.kubernetes.io/disk-pressure"
TAINT_NODE_PID_PRESSURE = "node.kubernetes.io/pid-pressure"
TAINT_NODE_NETWORK_UNAVAILABLE = "node.kubernetes.io/network-unavailable"
TAINT_CONTROL_PLANE = "node-role.kubernetes.io/control-plane"

#: Seconds the DefaultTolerationSeconds admission plugin allows on a not-ready/unreachable node.
DEFAULT_TOLERATION_SECONDS = 300

Taint = dict[str, Any]
Toleration = Mapping[str, Any]


class TaintSpecError(ValueError):
    """A ``kubectl taint`` argument that is not a taint; ``str()`` is kubectl's message."""


def _taint(key: str, value: str, effect: str) -> Taint:
    taint: Taint = {"key": key}
    if value:
        taint["value"] = value
    if effect:
        taint["effect"] = effect
    return taint


def _parse_one(spec: str) -> Taint:
    """``parseTaint``: ``key=value:Effect``, ``key:Effect`` or ``key``."""
    key, value, effect = "", "", ""
    parts = spec.split(":")
    if len(parts) == 1:
        key = parts[0]
    elif len(parts) == 2:
        effect = parts[1]
        if effect not in EFFECTS:
            raise TaintSpecError(f"invalid taint effect: {effect}, unsupported taint effect")
        kv = parts[0].split("=")
        if len(kv) > 2:
            raise TaintSpecError(f"invalid taint spec: {spec}")
        key = kv[0]
        if len(kv) == 2:
            value = kv[1]
            errs = is_valid_label_value(value)
            if errs:
                raise TaintSpecError(f"invalid taint spec: {spec}, {'; '.join(errs)}")
    else:
        raise TaintSpecError(f"invalid taint spec: {spec}")
    errs = is_qualified_name(key)
    if errs:
        raise TaintSpecError(f"invalid taint spec: {spec}, {'; '.join(errs)}")
    return _taint(key, value, effect)


def parse_taint(spec: str) -> tuple[Taint, bool]:
    """One ``kubectl taint`` argument: ``(taint, remove)``.

    ``dedicated=gpu:NoSchedule`` and ``dedicated:NoSchedule`` add a taint (an effect is
    required); ``dedicated:NoSchedule-`` removes the taint with that key and effect and
    ``dedicated-`` every taint with that key (the returned taint then has no effect).

    >>> parse_taint("dedicated=gpu:NoSchedule")
    ({'key': 'dedicated', 'value': 'gpu', 'effect': 'NoSchedule'}, False)
    """
    if spec.endswith("-"):
        taint = _parse_one(spec[:-1])
        taint.pop("value", None)  # removal matches on key and effect only
        return taint, True
    taint = _parse_one(spec)
    if "effect" not in taint:
        raise TaintSpecError(f"invalid taint spec: {spec}")
    return taint, False


def _go_struct(taint: Mapping[str, Any]) -> str:
    """A taint as Go's ``%v`` prints the struct: ``{key value NoSchedule <nil>}``."""
    added = taint.get("timeAdded") or "<nil>"
    return f"{{{taint.get('key', '')} {taint.get('value', '')} {taint.get('effect', '')} {added}}}"


def parse_taints(specs: Iterable[str]) -> tuple[list[Taint], list[Taint]]:
    """All ``kubectl taint`` arguments: ``(to_add, to_remove)`` (``parseTaints``).

    Two additions with the same key and effect are an error:
    ``duplicated taints with the same key and effect: {dedicated b NoSchedule <nil>}``.
    """
    to_add: list[Taint] = []
    to_remove: list[Taint] = []
    seen: set[tuple[str, str]] = set()
    for spec in specs:
        taint, remove = parse_taint(spec)
        if remove:
            to_remove.append(taint)
            continue
        identity = (taint["key"], taint["effect"])
        if identity in seen:
            raise TaintSpecError(
                f"duplicated taints with the same key and effect: {_go_struct(taint)}"
            )
        seen.add(identity)
        to_add.append(taint)
    return to_add, to_remove


def _same_taint(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """``Taint.MatchTaint``: taints are identified by key and effect; the value does not count."""
    return a.get("key", "") == b.get("key", "") and a.get("effect", "") == b.get("effect", "")


def taints_already_exist(node_taints: Iterable[Mapping[str, Any]], to_add: Iterable[Taint]) -> str:
    """Keys of ``to_add`` already on the node with the same effect, comma-joined.

    kubectl refuses such an add without ``--overwrite``: ``node <name> already has <keys>
    taint(s) with same effect(s) and --overwrite is false``.
    """
    existing = list(node_taints)
    return ",".join(t["key"] for t in to_add for old in existing if _same_taint(t, old))


def reorganize_taints(
    node_taints: Sequence[Mapping[str, Any]],
    overwrite: bool,
    to_add: Sequence[Taint],
    to_remove: Sequence[Taint],
) -> tuple[str, list[Taint], list[str]]:
    """The node's new taints after a ``kubectl taint``: ``(operation, taints, errors)``.

    ``operation`` is what kubectl prints after ``node/<name>``: ``tainted``, ``untainted``
    or ``modified``; ``errors`` holds ``taint "key:Effect" not found`` for removals that
    matched nothing (``reorganizeTaints``).
    """
    new_taints: list[Taint] = [dict(t) for t in to_add]
    for old in node_taints:
        if not any(_same_taint(t, old) for t in new_taints):
            new_taints.append(dict(old))
    added = len(node_taints) != len(new_taints)
    errors: list[str] = []
    removed = False
    for gone in to_remove:
        before = len(new_taints)
        if gone.get("effect"):
            new_taints = [t for t in new_taints if not _same_taint(gone, t)]
        else:
            new_taints = [t for t in new_taints if t.get("key", "") != gone.get("key", "")]
        removed = len(new_taints) != before
        if not removed:
            errors.append(f'taint "{taint_to_string(gone)}" not found')
    if (added and removed) or overwrite:
        operation = "modified"
    elif added:
        operation = "tainted"
    else:
        operation = "untainted"
    return operation, new_taints, errors


def taint_to_string(taint: Mapping[str, Any]) -> str:
    """``key=value:Effect``, ``key:Effect``, ``key=value:`` or ``key`` (``Taint.ToString``)."""
    key, value, effect = taint.get("key", ""), taint.get("value", ""), taint.get("effect", "")
    if not effect:
        return f"{key}={value}:" if value else key
    return f"{key}={value}:{effect}" if value else f"{key}:{effect}"


def taint_for_message(taint: Mapping[str, Any]) -> str:
    """``{key: value}``, the form in the scheduler's ``node(s) had untolerated taint {...}``."""
    return f"{{{taint.get('key', '')}: {taint.get('value', '')}}}"


def _parse_int64(s: str) -> int | None:
    digits = s[1:] if s[:1] in "+-" else s
    if not digits or not digits.isascii() or not digits.isdigit():
        return None
    n = int(s)
    return n if -(2**63) <= n < 2**63 else None


def toleration_tolerates(
    toleration: Toleration, taint: Mapping[str, Any], *, comparison_operators: bool = False
) -> bool:
    """Whether one toleration matches one taint (``Toleration.ToleratesTaint``).

    The effect must be empty or equal; the key empty or equal; then operator ``Exists``
    matches any value and ``Equal`` (or no operator) needs equal values. An empty key with
    ``Exists`` tolerates everything. ``Gt``/``Lt`` compare integers only with the alpha
    TaintTolerationComparisonOperators gate (``comparison_operators=True``).
    """
    effect = toleration.get("effect") or ""
    if effect and effect != (taint.get("effect") or ""):
        return False
    key = toleration.get("key") or ""
    if key and key != (taint.get("key") or ""):
        return False
    operator = toleration.get("operator") or ""
    if operator in ("", "Equal"):
        return (toleration.get("value") or "") == (taint.get("value") or "")
    if operator == "Exists":
        return True
    if operator in ("Gt", "Lt") and comparison_operators:
        bound = _parse_int64(toleration.get("value") or "")
        actual = _parse_int64(taint.get("value") or "")
        if bound is None or actual is None:
            return False
        return actual > bound if operator == "Gt" else actual < bound
    return False


def tolerations_tolerate_taint(
    tolerations: Iterable[Toleration] | None,
    taint: Mapping[str, Any],
    *,
    comparison_operators: bool = False,
) -> bool:
    """Whether any toleration tolerates ``taint`` (``TolerationsTolerateTaint``)."""
    return any(
        toleration_tolerates(t, taint, comparison_operators=comparison_operators)
        for t in tolerations or ()
    )


def find_untolerated_taint(
    taints: Iterable[Mapping[str, Any]] | None,
    tolerations: Iterable[Toleration] | None,
    effects: Iterable[str] | None = (NO_SCHEDULE, NO_EXECUTE),
    *,
    comparison_operators: bool = False,
) -> Mapping[str, Any] | None:
    """The first taint, among those with one of ``effects``, that no toleration tolerates.

    The scheduler's TaintToleration filter uses NoSchedule and NoExecute (the default);
    ``effects=None`` checks every taint. ``None`` means all are tolerated.
    """
    wanted = None if effects is None else frozenset(effects)
    tols = list(tolerations or ())
    for taint in taints or ():
        if wanted is not None and (taint.get("effect") or "") not in wanted:
            continue
        if not tolerations_tolerate_taint(tols, taint, comparison_operators=comparison_operators):
            return taint
    return None


def count_intolerable_prefer_no_schedule(
    taints: Iterable[Mapping[str, Any]] | None, tolerations: Iterable[Toleration] | None
) -> int:
    """PreferNoSchedule taints not tolerated: the TaintToleration score's raw count.

    Only tolerations with an empty or PreferNoSchedule effect count here, as upstream.
    """
    prefer = [t for t in tolerations or () if (t.get("effect") or "") in ("", PREFER_NO_SCHEDULE)]
    return sum(
        1
        for taint in taints or ()
        if taint.get("effect") == PREFER_NO_SCHEDULE
        and not tolerations_tolerate_taint(prefer, taint)
    )


def default_toleration_seconds(
    tolerations: Iterable[Toleration] | None, seconds: int = DEFAULT_TOLERATION_SECONDS
) -> list[dict[str, Any]]:
    """The pod's tolerations after the DefaultTolerationSeconds admission plugin.

    Adds ``node.kubernetes.io/not-ready:NoExecute`` and ``node.kubernetes.io/unreachable:
    NoExecute`` (operator Exists, ``tolerationSeconds: 300``) unless the pod already has a
    toleration that covers that key (or an empty key) with NoExecute (or an empty effect).
    So a pod leaves an unreachable node about five minutes after the taint appears.
    """
    result = [dict(t) for t in tolerations or ()]

    def covered(key: str) -> bool:
        return any(
            (t.get("key") or "") in (key, "") and (t.get("effect") or "") in (NO_EXECUTE, "")
            for t in result
        )

    additions = [key for key in (TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE) if not covered(key)]
    for key in additions:
        result.append(
            {"key": key, "operator": "Exists", "effect": NO_EXECUTE, "tolerationSeconds": seconds}
        )
    return result
