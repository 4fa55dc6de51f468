"""VolumeBinding, as far as its PreFilter: a pod's PersistentVolumeClaims must be bound.

A pod that mounts a PersistentVolumeClaim cannot go anywhere while the claim is missing or,
for claims bound immediately (the default ``volumeBindingMode``), not yet bound to a volume:
PreFilter rejects it as ``UnschedulableAndUnresolvable`` with
``pod has unbound immediate PersistentVolumeClaims`` (or ``persistentvolumeclaim "x" not
found``), so the FailedScheduling message reads ``0/3 nodes are available: pod has unbound
immediate PersistentVolumeClaims. preemption: ...``. The pod is retried when a claim is
added or changes. Pods without claims skip the plugin.
(``pkg/scheduler/framework/plugins/volumebinding/volume_binding.go`` PreFilter,
``binder.go`` GetPodVolumeClaims.)

*Not modelled:* WaitForFirstConsumer claims, finding or provisioning volumes for a node,
volume node affinity (the rest of the plugin).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from k8snb.scheduler.framework import SKIP, CycleState, NodeInfo, Plugin, PodInfo, Status
from k8snb.scheduler.framework import unschedulable as _unschedulable

__all__ = ["ERR_REASON_UNBOUND_IMMEDIATE", "VolumeBinding"]

ERR_REASON_UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims"

#: ``claim(namespace, name)``: the PersistentVolumeClaim, or None
ClaimLookup = Callable[[str, str], "dict[str, Any] | None"]


class VolumeBinding(Plugin):
    name = "VolumeBinding"
    filters = True

    def __init__(self, claim: ClaimLookup | None = None) -> None:
        self.claim = claim

    def pre_filter(
        self, state: CycleState, pod: PodInfo, nodes: Sequence[NodeInfo]
    ) -> tuple[set[str] | None, Status | None]:
        volumes = (pod.pod.get("spec") or {}).get("volumes") or ()
        names = [v["persistentVolumeClaim"].get("claimName", "") for v in volumes
                 if v.get("persistentVolumeClaim")]
        if not names or self.claim is None:
            return None, SKIP
        unbound = False
        for name in names:
            pvc = self.claim(pod.namespace, name)
            if pvc is None:
                return None, _unschedulable(f'persistentvolumeclaim "{name}" not found',
                                            resolvable=False)
            if pvc["metadata"].get("deletionTimestamp"):
                return None, _unschedulable(f'persistentvolumeclaim "{name}" is being deleted',
                                            resolvable=False)
            if not (pvc.get("spec") or {}).get("volumeName"):
                unbound = True
        if unbound:
            return None, _unschedulable(ERR_REASON_UNBOUND_IMMEDIATE, resolvable=False)
        return None, None
