"""The Recreate strategy, after ``pkg/controller/deployment/recreate.go``.

All old ReplicaSets go to zero first; only when no old pod is left (not even a terminating
one) is the new ReplicaSet created and scaled straight to ``replicas``. There is a window
with no pods at all: the price of never running two versions side by side.
"""

from __future__ import annotations

from typing import Any

from k8snb.controllers.deployment import util

__all__ = ["RecreateMixin"]

Obj = dict[str, Any]


class RecreateMixin:
    """recreate.go: methods of the Deployment controller."""

    def rollout_recreate(self, d: Obj, rs_list: list[Obj]) -> None:
        new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(d, rs_list, False)
        all_rss = [*old_rss, new_rs]
        # Scale old ReplicaSets down to zero.
        if self.scale_down_old_replica_sets_for_recreate(util.filter_active(old_rss), d):
            self.sync_rollout_status(all_rss, new_rs, d)
            return
        # Wait until every old pod is gone.
        if self.old_pods_running(new_rs, old_rss):
            self.sync_rollout_status(all_rss, new_rs, d)
            return
        if new_rs is None:
            new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(d, rs_list, True)
            all_rss = [*old_rss, new_rs]
        self.scale_up_new_replica_set_for_recreate(new_rs, d)
        if util.deployment_complete(d, d.get("status") or {}):
            self.cleanup_deployment(old_rss, d)
        self.sync_rollout_status(all_rss, new_rs, d)

    def scale_down_old_replica_sets_for_recreate(self, old_rss: list[Obj], d: Obj) -> bool:
        scaled = False
        for rs in old_rss:
            if util.replicas_of(rs) == 0:
                continue
            changed, _ = self.scale_replica_set_and_record_event(rs, 0, d)
            scaled = scaled or changed
        return scaled

    def old_pods_running(self, new_rs: Obj | None, old_rss: list[Obj]) -> bool:
        """Any old pod not yet Succeeded/Failed, terminating ones included (``oldPodsRunning``)."""
        if util.actual_replica_count(old_rss) > 0:
            return True
        for rs in old_rss:
            for pod in self.pods_of(rs):
                if (pod.get("status") or {}).get("phase") not in ("Failed", "Succeeded"):
                    return True
        return False

    def scale_up_new_replica_set_for_recreate(self, new_rs: Obj | None, d: Obj) -> bool:
        if new_rs is None:
            return False
        return self.scale_replica_set_and_record_event(new_rs, util.replicas_of(d), d)[0]
