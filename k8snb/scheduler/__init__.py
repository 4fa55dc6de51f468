"""kube-scheduler: where each pod runs, and why.

The pieces, named as upstream names them (``pkg/scheduler``):

- :mod:`.scheduler` - the component: informers in, ``pods/binding`` and events out
  (:class:`Scheduler`, its compact :class:`Decision` per pod);
- :mod:`.queue` - the scheduling queue (activeQ by priority, back-off, unschedulable pods);
- :mod:`.cache` - what each node has room for, with assumed pods counted;
- :mod:`.framework` - statuses, pod and node info, ``FitError`` (``0/3 nodes are available``);
- :mod:`.plugins` - one module per plugin (NodeUnschedulable, TaintToleration, ...);
- :mod:`.profile` - the default profile: plugin order and score weights;
- :mod:`.schedule_one` - one scheduling cycle: filter, score, pick;
- :mod:`.preemption` - DefaultPreemption's message;
- :mod:`.explain` - the node x plugin table and the "why" for one pod.

>>> cluster.scheduler.why("web")            # doctest: +SKIP
>>> cluster.scheduler.explain("web")        # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["Decision", "FitError", "Scheduler", "SchedulerCache", "default_profile"]

_WHERE = {
    "Decision": "k8snb.scheduler.scheduler",
    "Scheduler": "k8snb.scheduler.scheduler",
    "FitError": "k8snb.scheduler.framework",
    "SchedulerCache": "k8snb.scheduler.cache",
    "default_profile": "k8snb.scheduler.profile",
}


def __getattr__(name: str) -> Any:
    """Import on first use: numpy and the plugins load only when a scheduler is built."""
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
