"""TaintToleration: keep pods off nodes whose taints they do not tolerate.

Filter: every ``NoSchedule`` and ``NoExecute`` taint on the node must be tolerated; otherwise
the node is rejected with the first untolerated taint in the reason, e.g.
``node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }``. This is how a
kubeadm cluster keeps ordinary pods off the control-plane node.

Score: ``PreferNoSchedule`` taints only cost points. A node's raw score is the number of
``PreferNoSchedule`` taints the pod does not tolerate; NormalizeScore reverses it against the
worst node (no such taints anywhere: every node 100). Weight 3.
(``pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go``)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from k8snb.scheduler._helpers import count_intolerable_prefer_no_schedule, find_untolerated_taint
from k8snb.scheduler.cache import NodeArrays
from k8snb.scheduler.framework import (
    CycleState,
    NodeInfo,
    Plugin,
    PodInfo,
    Status,
    default_normalize_score,
    unschedulable,
)

DO_NOT_SCHEDULE = ("NoSchedule", "NoExecute")


def untolerated_reason(taint: Any) -> str:
    return f"node(s) had untolerated taint {{{taint.get('key') or ''}: {taint.get('value') or ''}}}"


def _as_taints(cls: tuple) -> list[dict[str, str]]:
    return [{"key": k, "value": v, "effect": e} for k, v, e in cls]


class TaintToleration(Plugin):
    name = "TaintToleration"
    filters = True
    scores = True

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        taint = find_untolerated_taint(node.taints, pod.tolerations, DO_NOT_SCHEDULE)
        if taint is None:
            return None
        return unschedulable(untolerated_reason(taint), resolvable=False)

    # Nodes with identical taint lists share a "taint class": decide once per class.
    def _class_verdicts(self, state: CycleState, pod: PodInfo, arrays: NodeArrays) -> list:
        return self._classes(state, pod, arrays)[0]

    def _classes(
        self, state: CycleState, pod: PodInfo, arrays: NodeArrays
    ) -> tuple[list, np.ndarray | None, np.ndarray | None]:
        """Per taint class (untolerated NoSchedule/NoExecute taint, intolerable
        PreferNoSchedule count), plus those two as arrays by class, None when every class
        that has nodes is clear."""
        key = ("TaintToleration/classes", len(arrays.taint_classes))
        found = state.read(key)
        if found is None:
            verdicts = []
            for cls, n in zip(arrays.taint_classes, arrays.taint_class_nodes, strict=True):
                if not cls or not n:  # no taints, or no node in the class: nothing to check
                    verdicts.append((None, 0))
                    continue
                taints = _as_taints(cls)
                bad = find_untolerated_taint(taints, pod.tolerations, DO_NOT_SCHEDULE)
                prefer = count_intolerable_prefer_no_schedule(taints, pod.tolerations)
                verdicts.append((bad, prefer))
            # (a class no node is in now, say of a node that was not ready once, cannot matter)
            bad_by_class = None
            if any(v[0] is not None for v in verdicts):
                bad_by_class = np.fromiter((v[0] is not None for v in verdicts), bool,
                                           len(verdicts))
            prefer_by_class = None
            if any(v[1] for v in verdicts):
                prefer_by_class = np.fromiter((v[1] for v in verdicts), np.int64, len(verdicts))
            found = (verdicts, bad_by_class, prefer_by_class)
            state.write(key, found)
        return found

    def filter_batch(
        self, state: CycleState, pod: PodInfo, arrays: NodeArrays, idx: np.ndarray
    ) -> np.ndarray | None:
        bad = self._classes(state, pod, arrays)[1]
        if bad is None:
            return None
        return bad[arrays.taint_class[idx]]

    def diagnose_batch(
        self, state: CycleState, pod: PodInfo, arrays: NodeArrays, idx: np.ndarray
    ) -> list[tuple[Status, np.ndarray]]:
        verdicts = self._class_verdicts(state, pod, arrays)
        classes = arrays.taint_class[idx]
        return [
            (unschedulable(untolerated_reason(verdicts[c][0]), resolvable=False), idx[classes == c])
            for c in np.unique(classes).tolist()
        ]

    def score(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> int:
        return count_intolerable_prefer_no_schedule(node.taints, pod.tolerations)

    def score_batch(
        self, state: CycleState, pod: PodInfo, arrays: NodeArrays, idx: np.ndarray
    ) -> np.ndarray:
        prefer = self._classes(state, pod, arrays)[2]
        if prefer is None:
            return np.zeros(len(idx), np.int64)
        return prefer[arrays.taint_class[idx]]

    def normalize(
        self, state: CycleState, pod: PodInfo, scores: np.ndarray, names: Sequence[str] | None
    ) -> np.ndarray:
        return default_normalize_score(scores, reverse=True)
