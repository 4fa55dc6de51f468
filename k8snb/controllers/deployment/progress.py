"""The Progressing condition and ``progressDeadlineSeconds``, after
``pkg/controller/deployment/progress.go``.

While a rollout runs, every sync that sees progress (more updated, ready or available pods,
fewer old ones) refreshes ``Progressing=True ReplicaSetUpdated`` and its ``lastUpdateTime``.
If no progress is seen for ``progressDeadlineSeconds`` (600 by default) the condition turns
``Progressing=False ProgressDeadlineExceeded``; a finished rollout reads
``Progressing=True NewReplicaSetAvailable``. Nothing else happens on a timeout: the controller
keeps trying, ``kubectl rollout status`` stops waiting.

A Deployment without visible progress is re-queued for the moment its deadline passes
(``requeueStuckDeployment``). The model marks that check as background work
(``recurring=True``), so ``Cluster.settle()`` does not sit out a ten-minute deadline:
``advance()`` and ``kubectl rollout status`` do run it.
"""

from __future__ import annotations

from typing import Any

from k8snb.clock import parse_time
from k8snb.controllers.deployment import util

__all__ = ["ProgressMixin"]

Obj = dict[str, Any]

MSG_RS_PROGRESSED = 'ReplicaSet "{name}" has successfully progressed.'
MSG_D_PROGRESSED = 'Deployment "{name}" has successfully progressed.'
MSG_RS_PROGRESSING = 'ReplicaSet "{name}" is progressing.'
MSG_D_PROGRESSING = 'Deployment "{name}" is progressing.'
MSG_RS_TIMED_OUT = 'ReplicaSet "{name}" has timed out progressing.'
MSG_D_TIMED_OUT = 'Deployment "{name}" has timed out progressing.'


def _msg(rs_fmt: str, d_fmt: str, d: Obj, new_rs: Obj | None) -> str:
    if new_rs is not None:
        return rs_fmt.format(name=new_rs["metadata"]["name"])
    return d_fmt.format(name=d["metadata"]["name"])


class ProgressMixin:
    """progress.go: methods of the Deployment controller."""

    def sync_rollout_status(self, all_rss: list[Obj | None], new_rs: Obj | None,
                            d: Obj) -> None:
        """Status plus the Progressing and ReplicaFailure conditions."""
        new_status = self.calculate_status(all_rss, new_rs, d)
        if not util.has_progress_deadline(d):
            util.remove_condition(new_status, util.PROGRESSING)
        current = util.get_condition(d.get("status") or {}, util.PROGRESSING)
        is_complete = (int(new_status.get("replicas") or 0)
                       == int(new_status.get("updatedReplicas") or 0)
                       and current is not None
                       and current.get("reason") == util.REASON_NEW_RS_AVAILABLE)
        now = self.clock.rfc3339()
        if util.has_progress_deadline(d) and not is_complete:
            if util.deployment_complete(d, new_status):
                util.set_condition(new_status, util.new_condition(
                    util.PROGRESSING, "True", util.REASON_NEW_RS_AVAILABLE,
                    _msg(MSG_RS_PROGRESSED, MSG_D_PROGRESSED, d, new_rs), now))
            elif util.deployment_progressing(d, new_status):
                cond = util.new_condition(
                    util.PROGRESSING, "True", util.REASON_RS_UPDATED,
                    _msg(MSG_RS_PROGRESSING, MSG_D_PROGRESSING, d, new_rs), now)
                # Progress refreshes lastUpdateTime even when the reason stays the same.
                if current is not None:
                    if current.get("status") == "True":
                        cond["lastTransitionTime"] = current.get("lastTransitionTime")
                    util.remove_condition(new_status, util.PROGRESSING)
                util.set_condition(new_status, cond)
            elif util.deployment_timed_out(d, new_status, self.clock.now):
                util.set_condition(new_status, util.new_condition(
                    util.PROGRESSING, "False", util.REASON_TIMED_OUT,
                    _msg(MSG_RS_TIMED_OUT, MSG_D_TIMED_OUT, d, new_rs), now))
        failures = self.get_replica_failures(all_rss, new_rs)
        if failures:
            util.set_condition(new_status, failures[0])
        else:
            util.remove_condition(new_status, util.REPLICA_FAILURE)
        if new_status == d.get("status"):
            self.requeue_stuck_deployment(d, new_status)
            return
        d["status"] = new_status
        self.update_deployment_status(d)

    @staticmethod
    def get_replica_failures(all_rss: list[Obj | None], new_rs: Obj | None) -> list[Obj]:
        """ReplicaFailure conditions of the new ReplicaSet, else of any ReplicaSet."""
        def of(rs: Obj) -> list[Obj]:
            return [{"lastTransitionTime": c.get("lastTransitionTime"),
                     "lastUpdateTime": c.get("lastTransitionTime"),
                     "message": c.get("message", ""), "reason": c.get("reason", ""),
                     "status": c.get("status"), "type": util.REPLICA_FAILURE}
                    for c in (rs.get("status") or {}).get("conditions") or ()
                    if c.get("type") == "ReplicaFailure"]
        if new_rs is not None and (conds := of(new_rs)):
            return conds
        return [c for rs in all_rss if rs is not None for c in of(rs)]

    def requeue_stuck_deployment(self, d: Obj, new_status: Obj) -> float:
        """Check again when the progress deadline passes; -1 when there is nothing to wait for."""
        key = (d["metadata"]["namespace"], d["metadata"]["name"])
        current = util.get_condition(d.get("status") or {}, util.PROGRESSING)
        if not util.has_progress_deadline(d) or current is None:
            return -1
        if util.deployment_complete(d, new_status) or \
                current.get("reason") == util.REASON_TIMED_OUT:
            self.queue.forget(key)
            return -1
        after = (parse_time(current.get("lastUpdateTime") or 0)
                 + int(d["spec"]["progressDeadlineSeconds"]) - self.clock.now)
        if after < 1:
            self.queue.add_after(key, 1.0, recurring=True)
            return 0
        self.queue.add_after(key, after + 1, recurring=True)
        return after
