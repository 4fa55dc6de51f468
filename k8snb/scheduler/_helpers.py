"""The API helpers the scheduler uses, in one place.

Quantities (``resource.Quantity``), taints and tolerations (component-helpers
``scheduling/corev1``) and label selectors (apimachinery ``labels``) come from
:mod:`k8snb.api`; the node-selector requirement (which, unlike a label selector, allows
``Gt``/``Lt``) is here (component-helpers ``scheduling/corev1/nodeaffinity``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from k8snb.api.labels import (
    NOTHING,
    Selector,
    SelectorError,
    selector_from_label_selector,
    selector_from_set,
)
from k8snb.api.quantity import cpu_millis, to_bytes
from k8snb.api.taints import (
    count_intolerable_prefer_no_schedule,
    find_untolerated_taint,
    tolerations_tolerate_taint,
)

__all__ = [
    "NOTHING",
    "Selector",
    "SelectorError",
    "count_intolerable_prefer_no_schedule",
    "cpu_millis",
    "find_untolerated_taint",
    "node_selector_requirement_matches",
    "selector_from_label_selector",
    "selector_from_set",
    "to_bytes",
    "tolerations_tolerate_taint",
]


def _int64(s: str) -> int | None:
    digits = s[1:] if s[:1] in "+-" else s
    if not digits or not digits.isascii() or not digits.isdigit():
        return None
    return int(s)


def node_selector_requirement_matches(expr: Mapping[str, Any], labels: Mapping[str, str]) -> bool:
    """One ``NodeSelectorRequirement`` against node labels (or ``{"metadata.name": name}``).

    ``In``/``NotIn`` need values (``NotIn`` also matches when the label is missing), ``Exists``
    / ``DoesNotExist`` none, ``Gt``/``Lt`` one integer compared with an integer label. An
    invalid requirement raises ``ValueError``; the caller treats its term as not matching.
    """
    key, op = expr.get("key", ""), expr.get("operator", "")
    values = list(expr.get("values") or ())
    if op == "In":
        if not values:
            raise ValueError("In needs values")
        return key in labels and labels[key] in values
    if op == "NotIn":
        if not values:
            raise ValueError("NotIn needs values")
        return key not in labels or labels[key] not in values
    if op == "Exists":
        return key in labels
    if op == "DoesNotExist":
        return key not in labels
    if op in ("Gt", "Lt"):
        bound = _int64(values[0]) if len(values) == 1 else None
        if bound is None:
            raise ValueError(f"{op} needs exactly one integer value")
        have = _int64(labels[key]) if key in labels else None
        if have is None:
            return False
        return have > bound if op == "Gt" else have < bound
    raise ValueError(f"{op!r} is not a valid node selector operator")
