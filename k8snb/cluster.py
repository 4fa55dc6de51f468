"""``Cluster``: a whole Kubernetes cluster inside the kernel.

It wires the components the way kubeadm lays them out: etcd (:mod:`k8snb.store`), the API
server (:mod:`k8snb.api`), the controller manager (:mod:`k8snb.controllers`), the scheduler
(:mod:`k8snb.scheduler`) and, per node, a kubelet with its container runtime
(:mod:`k8snb.node`). Components only talk through the API server. One simulated clock and one
seeded random source make every run identical.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from k8snb.api.server import APIServer
from k8snb.clock import Clock, parse_time
from k8snb.controllers.informer import InformerFactory, WorkQueue
from k8snb.store.etcd import Store

__all__ = ["Cluster", "DEFAULT_START", "KUBERNETES_VERSION"]

DEFAULT_START = "2026-01-05T09:00:00Z"
KUBERNETES_VERSION = "v1.35.0"
Obj = dict[str, Any]


class Cluster:
    """A simulated cluster: ``control-plane`` plus ``worker1`` … ``workerN``, all Ready.

    >>> cluster = Cluster(workers=2, seed=0)
    >>> print(cluster.kubectl("get nodes").stdout)  # doctest: +SKIP
    """

    def __init__(self, workers: int = 2, seed: int = 0,
                 start: str | datetime | float | None = None, *,
                 pod_network_cidr: str = "10.244.0.0/16") -> None:
        self.seed = seed
        self.pod_network_cidr = pod_network_cidr
        self.rng = random.Random(seed)
        self.clock = Clock(parse_time(start if start is not None else DEFAULT_START))
        self.store = Store()
        self.api = APIServer(self.store, self.clock, self.rng)
        self.informers = InformerFactory(self.api)
        self._queues: list[tuple[WorkQueue, Callable[[Any], None]]] = []
        self._draining = False

        from k8snb.network.podnet import PodNetwork
        from k8snb.node.manager import NodeManager

        self.network = PodNetwork()
        self.nodes = NodeManager(self)
        from k8snb.controllers.manager import ControllerManager

        self.controllers = ControllerManager(self)
        self.scheduler = self._make_scheduler()
        from k8snb.bootstrap import bootstrap

        bootstrap(self, workers)
        from k8snb.kubectl.magic import register_magics, use

        use(self)
        register_magics()

    def _make_scheduler(self) -> Any:
        from k8snb.scheduler.scheduler import Scheduler

        return Scheduler(self)

    # -- the loop ------------------------------------------------------------------------------

    def register_queue(self, queue: WorkQueue, reconcile: Callable[[Any], None]) -> None:
        """Have ``reconcile(key)`` called for every key put on ``queue``."""
        self._queues.append((queue, reconcile))

    def new_queue(self, name: str, reconcile: Callable[[Any], None]) -> WorkQueue:
        queue = WorkQueue(name, self.clock)
        self.register_queue(queue, reconcile)
        return queue

    def run_pending(self) -> int:
        """Process every queued key until all work queues are empty; returns keys processed."""
        if self._draining:
            return 0
        self._draining = True
        done = 0
        try:
            progressed = True
            while progressed:
                progressed = False
                for queue, reconcile in self._queues:
                    n = len(queue)
                    for _ in range(n):
                        reconcile(queue.pop())
                    if n:
                        done += n
                        progressed = True
        finally:
            self._draining = False
        return done

    def _run_until(self, until: float) -> None:
        self.run_pending()
        while (timer := self.clock.pop_due(until)) is not None:
            timer.fn()
            self.run_pending()

    def advance(self, seconds: float) -> datetime:
        """Run the cluster forward ``seconds`` of simulated time; returns the new time."""
        if seconds < 0:
            raise ValueError("cannot advance by a negative time")
        target = self.clock.now + seconds
        self._run_until(target)
        self.clock.now = target
        return self.now

    def settle(self, max_seconds: float = 600) -> float:
        """Run until nothing is left to do, at most ``max_seconds``; returns seconds taken.

        "Nothing left" means no queued work and no timer due other than recurring ones
        (heartbeats, CronJob schedules, restart back-offs, processes that loop forever).
        """
        start = self.clock.now
        limit = start + max_seconds
        self.run_pending()
        while True:
            due = self.clock.next_due(work_only=True)
            if due is None:
                break
            if due > limit:
                self._run_until(limit)
                self.clock.now = limit
                break
            self._run_until(due)
        return self.clock.now - start

    def run_until(self, condition: Callable[[], bool], max_seconds: float, *,
                  wait_out_timeout: bool = True) -> bool:
        """Run timer by timer until ``condition()`` holds; False after ``max_seconds``.

        What a blocking kubectl command (``wait``, ``rollout status``, ``delete``) does while
        it watches. On a timeout the clock moves to the deadline unless
        ``wait_out_timeout=False`` (nothing was going to happen anyway).
        """
        deadline = self.clock.now + max_seconds
        self.run_pending()
        while not condition():
            due = self.clock.next_due()
            if due is None or due > deadline:
                if wait_out_timeout:
                    self.clock.now = max(self.clock.now, deadline)
                return False
            self._run_until(due)
        return True

    @property
    def now(self) -> datetime:
        """The simulated time (timezone-aware UTC)."""
        return datetime.fromtimestamp(self.clock.now, UTC)

    # -- nodes ---------------------------------------------------------------------------------

    def add_node(self, name: str, *, cpu: str = "4", memory: str = "8Gi", pods: int = 110,
                 labels: dict[str, str] | None = None,
                 taints: list[dict[str, str]] | None = None) -> Obj:
        """Join a new worker node (its kubelet registers the Node and becomes Ready)."""
        node = self.nodes.join(name, cpu=cpu, memory=memory, pods=pods, labels=labels,
                               taints=taints)
        self.run_pending()
        return node

    def stop_node(self, name: str) -> None:
        """Power the machine off: its kubelet stops and its containers die."""
        self.nodes.kubelet(name).stop()
        self.run_pending()

    def start_node(self, name: str) -> None:
        """Power the machine back on: the kubelet resumes heartbeats and restarts its pods."""
        self.nodes.kubelet(name).start()
        self.run_pending()

    # -- kubectl -------------------------------------------------------------------------------

    def kubectl(self, command: str | list[str], stdin: str | None = None) -> Any:
        """Run a kubectl command against this cluster; returns ``.stdout/.stderr/.returncode``."""
        from k8snb.kubectl.cli import run

        result = run(self, command, stdin=stdin)
        self.run_pending()
        return result

    def __repr__(self) -> str:
        nodes = len(self.store.bucket("nodes"))
        pods = len(self.store.bucket("pods"))
        return f"<Cluster seed={self.seed} nodes={nodes} pods={pods} now={self.clock.rfc3339()}>"
