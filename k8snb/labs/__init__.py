"""Labs: ipywidgets panels over a cluster. No logic of their own: they call ``Cluster``
methods or ``cluster.kubectl`` and redraw, writing kernel-side into HTML widgets.

>>> from k8snb.labs import console
>>> lab = console(cluster)            # doctest: +SKIP
>>> lab.command.value = "get nodes"   # doctest: +SKIP
>>> lab.run.click()                   # doctest: +SKIP

Every lab exposes its parts as attributes (``.command``, ``.run``, ``.output`` …) so tests
and notebooks can drive it, and never raises: mistakes show as kubectl-style text.
"""

from k8snb.labs.clock import ClockLab, clock
from k8snb.labs.console import Console, console
from k8snb.labs.namespace import NamespaceLab, namespace_lab
from k8snb.labs.nodes import NodesLab, nodes_lab
from k8snb.labs.pod import PodLab, pod_lab, two_container_pod
from k8snb.labs.scheduler import SchedulerLab, scheduler_lab
from k8snb.labs.workloads import (
    CronJobLab,
    DaemonSetLab,
    DeploymentLab,
    JobLab,
    ReplicaSetLab,
    cronjob_lab,
    daemonset_lab,
    deployment_lab,
    job_lab,
    replicaset_lab,
)

__all__ = [
    "ClockLab",
    "Console",
    "CronJobLab",
    "DaemonSetLab",
    "DeploymentLab",
    "JobLab",
    "NamespaceLab",
    "NodesLab",
    "PodLab",
    "ReplicaSetLab",
    "SchedulerLab",
    "clock",
    "console",
    "cronjob_lab",
    "daemonset_lab",
    "deployment_lab",
    "job_lab",
    "namespace_lab",
    "nodes_lab",
    "pod_lab",
    "replicaset_lab",
    "scheduler_lab",
    "two_container_pod",
]
