"""The ``default-scheduler`` profile: which plugins run, in which order, with which weights.

Mirrors ``pkg/scheduler/apis/config/v1/default_plugins.go`` (MultiPoint order):

====================================  ======  ==========================================
plugin                                weight  here
====================================  ======  ==========================================
SchedulingGates                               scheduling queue (gated pods wait)
PrioritySort                                  scheduling queue (priority, then age)
NodeUnschedulable                             :mod:`.plugins.node_unschedulable`
NodeName                                      :mod:`.plugins.node_name`
TaintToleration                       3       :mod:`.plugins.taint_toleration`
NodeAffinity                          2       :mod:`.plugins.node_affinity`
NodePorts                                     :mod:`.plugins.node_ports`
NodeResourcesFit                      1       :mod:`.plugins.node_resources_fit`
VolumeRestrictions, NodeVolumeLimits,         not modelled
VolumeZone
VolumeBinding                                 :mod:`.plugins.volume_binding` (PreFilter only)
PodTopologySpread                     2       :mod:`.plugins.pod_topology_spread`
InterPodAffinity                      2       not modelled
DefaultPreemption                             :mod:`.preemption` (its message only)
NodeResourcesBalancedAllocation       1       :mod:`.plugins.node_resources_fit`
ImageLocality                         1       :mod:`.plugins.image_locality`
DefaultBinder                                 :class:`~k8snb.scheduler.scheduler.Scheduler`
====================================  ======  ==========================================
"""

from __future__ import annotations

from dataclasses import dataclass, field

from k8snb.scheduler.cache import SchedulerCache
from k8snb.scheduler.framework import Plugin
from k8snb.scheduler.plugins.image_locality import ImageLocality
from k8snb.scheduler.plugins.node_affinity import NodeAffinity
from k8snb.scheduler.plugins.node_name import NodeName
from k8snb.scheduler.plugins.node_ports import NodePorts
from k8snb.scheduler.plugins.node_resources_fit import (
    NodeResourcesBalancedAllocation,
    NodeResourcesFit,
)
from k8snb.scheduler.plugins.node_unschedulable import NodeUnschedulable
from k8snb.scheduler.plugins.pod_topology_spread import DefaultSelectorFn, PodTopologySpread
from k8snb.scheduler.plugins.taint_toleration import TaintToleration
from k8snb.scheduler.plugins.volume_binding import ClaimLookup, VolumeBinding

__all__ = ["DEFAULT_SCHEDULER", "DEFAULT_WEIGHTS", "Profile", "default_profile"]

DEFAULT_SCHEDULER = "default-scheduler"

#: Score weights of the default profile (plugins without a weight do not score).
DEFAULT_WEIGHTS = {
    "TaintToleration": 3,
    "NodeAffinity": 2,
    "NodeResourcesFit": 1,
    "PodTopologySpread": 2,
    "InterPodAffinity": 2,
    "NodeResourcesBalancedAllocation": 1,
    "ImageLocality": 1,
}


@dataclass
class Profile:
    """A scheduler profile (``KubeSchedulerProfile``): a name and its plugins, in order."""

    plugins: list[Plugin]
    name: str = DEFAULT_SCHEDULER
    weights: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    #: ``percentageOfNodesToScore``; 0 means adaptive (``50 - nodes/125``, at least 5 %)
    percentage_of_nodes_to_score: int = 0

    @property
    def filter_plugins(self) -> list[Plugin]:
        return [p for p in self.plugins if p.filters]

    @property
    def score_plugins(self) -> list[Plugin]:
        return [p for p in self.plugins if p.scores and self.weights.get(p.name, 0)]

    def plugin(self, name: str) -> Plugin:
        for p in self.plugins:
            if p.name == name:
                return p
        raise KeyError(name)


def default_profile(
    cache: SchedulerCache,
    default_selector: DefaultSelectorFn | None = None,
    claim: ClaimLookup | None = None,
) -> Profile:
    """The default profile's plugins, wired to ``cache``.

    ``default_selector(pod)`` returns the selector of the pod's Services and controller for
    default topology spreading (None: no default spreading); ``claim(namespace, name)`` looks
    up a PersistentVolumeClaim for VolumeBinding (None: claims are not checked).
    """
    return Profile(
        [
            NodeUnschedulable(),
            NodeName(),
            TaintToleration(),
            NodeAffinity(cache),
            NodePorts(),
            NodeResourcesFit(),
            VolumeBinding(claim),
            PodTopologySpread(cache, default_selector),
            NodeResourcesBalancedAllocation(),
            ImageLocality(cache),
        ]
    )
