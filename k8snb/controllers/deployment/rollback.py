"""Server-side rollback, after ``pkg/controller/deployment/rollback.go``.

extensions/v1beta1 Deployments had ``spec.rollbackTo.revision``; apps/v1 keeps it only as the
``deprecated.deployment.rollback.to`` annotation, and the controller still honours it: it
copies the template of the ReplicaSet with that revision (0 = the previous one) into the
Deployment and removes the annotation. ``kubectl rollout undo`` does not use this any more:
it patches the template itself (see :mod:`k8snb.kubectl.rollout`).
"""

from __future__ import annotations

from typing import Any

from k8snb.controllers.deployment import util
from k8snb.util.jsoncopy import jcopy

__all__ = ["RollbackMixin"]

Obj = dict[str, Any]

MSG_NOT_FOUND_LAST = "Unable to find last revision."
MSG_NOT_FOUND = "Unable to find the revision to rollback to."
MSG_UNCHANGED = 'The rollback revision contains the same template as current deployment "{name}"'
MSG_DONE = 'Rolled back deployment "{name}" to revision {revision}'


class RollbackMixin:
    """rollback.go: methods of the Deployment controller."""

    @staticmethod
    def get_rollback_to(d: Obj) -> int | None:
        """The revision asked for by the annotation, or None (also for a malformed one)."""
        text = (d["metadata"].get("annotations") or {}).get(util.ROLLBACK_TO_ANNOTATION)
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            return None

    def rollback(self, d: Obj, rs_list: list[Obj]) -> None:
        new_rs, all_old = self.get_all_replica_sets_and_sync_revision(d, rs_list, True)
        all_rss = [rs for rs in [*all_old, new_rs] if rs is not None]
        to = self.get_rollback_to(d) or 0
        if to == 0:
            to = util.last_revision(all_rss)
            if to == 0:
                self.event(d, "Warning", util.REASON_ROLLBACK_NOT_FOUND, MSG_NOT_FOUND_LAST)
                self.update_deployment_and_clear_rollback_to(d)
                return
        for rs in all_rss:
            if util.revision(rs) == to:
                # The revision number goes up at the next sync, when this ReplicaSet becomes
                # the new one again.
                if self.rollback_to_template(d, rs):
                    self.event(d, "Normal", util.REASON_ROLLBACK_DONE,
                               MSG_DONE.format(name=d["metadata"]["name"], revision=to))
                return
        self.event(d, "Warning", util.REASON_ROLLBACK_NOT_FOUND, MSG_NOT_FOUND)
        self.update_deployment_and_clear_rollback_to(d)

    def rollback_to_template(self, d: Obj, rs: Obj) -> bool:
        performed = False
        if not util.equal_ignore_hash(d["spec"].get("template"), rs["spec"].get("template")):
            template = jcopy(rs["spec"]["template"])
            labels = (template.get("metadata") or {}).get("labels") or {}
            labels.pop(util.DEFAULT_UNIQUE_LABEL_KEY, None)
            d["spec"]["template"] = template
            util.set_deployment_annotations_to(d, rs)
            performed = True
        else:
            self.event(d, "Warning", util.REASON_ROLLBACK_UNCHANGED,
                       MSG_UNCHANGED.format(name=d["metadata"]["name"]))
        self.update_deployment_and_clear_rollback_to(d)
        return performed

    def update_deployment_and_clear_rollback_to(self, d: Obj) -> None:
        ann = d["metadata"].get("annotations") or {}
        ann.pop(util.ROLLBACK_TO_ANNOTATION, None)
        self.update_deployment(d)
