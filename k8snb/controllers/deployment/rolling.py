"""The RollingUpdate strategy, after ``pkg/controller/deployment/rolling.go``.

Each sync takes one step and stops as soon as it changed something:

1. scale the new ReplicaSet **up** by as many pods as ``maxSurge`` leaves room for
   (``replicas + maxSurge - all pods``, never past ``replicas``);
2. otherwise scale old ReplicaSets **down** by at most
   ``all pods - minAvailable - unavailable pods of the new ReplicaSet``: first pods that are
   not available anyway (oldest ReplicaSet first), then available ones while the total of
   available pods stays at least ``minAvailable = replicas - maxUnavailable``;
3. once the rollout is complete, delete old ReplicaSets beyond ``revisionHistoryLimit``.

The ReplicaSet controller creates and deletes the pods; their readiness, reported back in
each ReplicaSet's ``status.availableReplicas``, triggers the next step.
"""

from __future__ import annotations

from typing import Any

from k8snb.controllers.deployment import util

__all__ = ["RollingMixin"]

Obj = dict[str, Any]


class RollingMixin:
    """rolling.go: methods of the Deployment controller."""

    def rollout_rolling(self, d: Obj, rs_list: list[Obj]) -> None:
        new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(d, rs_list, True)
        all_rss = [*old_rss, new_rs]
        # Scale up, if we can.
        if self.reconcile_new_replica_set(all_rss, new_rs, d):
            self.sync_rollout_status(all_rss, new_rs, d)
            return
        # Scale down, if we can.
        if self.reconcile_old_replica_sets(all_rss, util.filter_active(old_rss), new_rs, d):
            self.sync_rollout_status(all_rss, new_rs, d)
            return
        if util.deployment_complete(d, d.get("status") or {}):
            self.cleanup_deployment(old_rss, d)
        self.sync_rollout_status(all_rss, new_rs, d)

    def reconcile_new_replica_set(self, all_rss: list[Obj | None], new_rs: Obj | None,
                                  d: Obj) -> bool:
        if new_rs is None:
            return False
        replicas = util.replicas_of(d)
        if util.replicas_of(new_rs) == replicas:
            return False
        if util.replicas_of(new_rs) > replicas:
            return self.scale_replica_set_and_record_event(new_rs, replicas, d)[0]
        count = util.new_rs_new_replicas(d, all_rss, new_rs)
        return self.scale_replica_set_and_record_event(new_rs, count, d)[0]

    def reconcile_old_replica_sets(self, all_rss: list[Obj | None], old_rss: list[Obj],
                                   new_rs: Obj | None, d: Obj) -> bool:
        if util.replica_count(old_rss) == 0:
            return False  # nothing left to scale down
        all_pods = util.replica_count(all_rss)
        min_available = util.replicas_of(d) - util.max_unavailable(d)
        new_unavailable = 0
        if new_rs is not None:
            new_unavailable = util.replicas_of(new_rs) - int(
                (new_rs.get("status") or {}).get("availableReplicas") or 0)
        max_scaled_down = all_pods - min_available - new_unavailable
        if max_scaled_down <= 0:
            return False
        # Unhealthy old pods first: they would otherwise block the rollout.
        old_rss, cleaned = self.cleanup_unhealthy_replicas(old_rss, d, max_scaled_down)
        all_rss = [*old_rss, new_rs]
        scaled = self.scale_down_old_replica_sets_for_rolling_update(all_rss, old_rss, d)
        return cleaned + scaled > 0

    def cleanup_unhealthy_replicas(self, old_rss: list[Obj], d: Obj,
                                   max_cleanup: int) -> tuple[list[Obj], int]:
        """Scale old ReplicaSets down by their unavailable pods, oldest first."""
        old_rss = util.replica_sets_by_creation(old_rss)
        total = 0
        for i, rs in enumerate(old_rss):
            if total >= max_cleanup:
                break
            replicas = util.replicas_of(rs)
            available = int((rs.get("status") or {}).get("availableReplicas") or 0)
            if replicas == 0 or replicas == available:
                continue
            count = min(max_cleanup - total, replicas - available)
            _, old_rss[i] = self.scale_replica_set_and_record_event(rs, replicas - count, d)
            total += count
        return old_rss, total

    def scale_down_old_replica_sets_for_rolling_update(self, all_rss: list[Obj | None],
                                                       old_rss: list[Obj], d: Obj) -> int:
        """Scale old ReplicaSets down while available pods stay above minAvailable."""
        min_available = util.replicas_of(d) - util.max_unavailable(d)
        available = util.available_replica_count(all_rss)
        if available <= min_available:
            return 0
        total_to_scale = available - min_available
        total = 0
        for rs in util.replica_sets_by_creation(old_rss):
            if total >= total_to_scale:
                break
            replicas = util.replicas_of(rs)
            if replicas == 0:
                continue
            count = min(replicas, total_to_scale - total)
            self.scale_replica_set_and_record_event(rs, replicas - count, d)
            total += count
        return total
