"""Steps shared by every sync, after ``pkg/controller/deployment/sync.go``.

Finding (or creating) the new ReplicaSet and giving it the next revision, scaling
ReplicaSets with a ``ScalingReplicaSet`` event, proportional scaling while a rollout is in
flight (or paused), deleting old ReplicaSets beyond ``revisionHistoryLimit`` and computing
``status``. Methods of :class:`~k8snb.controllers.deployment.DeploymentController`.
"""

from __future__ import annotations

from typing import Any

from k8snb.api.errors import StatusError
from k8snb.controllers.deployment import util
from k8snb.util.jsoncopy import jcopy

__all__ = ["SyncMixin", "MSG_SCALED", "MSG_SCALED_UP_NEW", "REASON_SCALING"]

Obj = dict[str, Any]

REASON_SCALING = "ScalingReplicaSet"
#: ``Scaled up replica set web-5d4b9c8f7 from 1 to 3`` (modern wording, with "from").
MSG_SCALED = "Scaled {op} replica set {name} from {old} to {new}"
MSG_SCALED_UP_NEW = "Scaled up replica set {name} from 0 to {new}"
MSG_FAILED_RS_CREATE = 'Failed to create new replica set "{name}": {error}'
MSG_PAUSED = "Deployment is paused"
MSG_RESUMED = "Deployment is resumed"
MSG_CREATED_RS = 'Created new replica set "{name}"'
MSG_FOUND_RS = 'Found new replica set "{name}"'
MSG_MIN_AVAILABLE = "Deployment has minimum availability."
MSG_MIN_UNAVAILABLE = "Deployment does not have minimum availability."


class SyncMixin:
    """sync.go: methods of the Deployment controller."""

    api: Any
    clock: Any

    # -- entry points -----------------------------------------------------------------------------

    def sync_status_only(self, d: Obj, rs_list: list[Obj]) -> None:
        """Only update status (a Deployment being deleted)."""
        new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(d, rs_list, False)
        self.sync_deployment_status([*old_rss, new_rs], new_rs, d)

    def sync(self, d: Obj, rs_list: list[Obj]) -> None:
        """Scaling events and paused Deployments: resize proportionally, never roll out."""
        new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(d, rs_list, False)
        self.scale(d, new_rs, old_rss)
        if d["spec"].get("paused") and self.get_rollback_to(d) is None:
            self.cleanup_deployment(old_rss, d)
        self.sync_deployment_status([*old_rss, new_rs], new_rs, d)

    def check_paused_conditions(self, d: Obj) -> None:
        """Progressing=Unknown with DeploymentPaused / DeploymentResumed on (un)pausing."""
        if not util.has_progress_deadline(d):
            return
        status = d.setdefault("status", {})
        cond = util.get_condition(status, util.PROGRESSING)
        if cond is not None and cond.get("reason") == util.REASON_TIMED_OUT:
            return  # a timeout already reported is not overwritten
        paused_cond = cond is not None and cond.get("reason") == util.REASON_PAUSED
        now = self.clock.rfc3339()
        if d["spec"].get("paused") and not paused_cond:
            util.set_condition(status, util.new_condition(
                util.PROGRESSING, "Unknown", util.REASON_PAUSED, MSG_PAUSED, now))
        elif not d["spec"].get("paused") and paused_cond:
            util.set_condition(status, util.new_condition(
                util.PROGRESSING, "Unknown", util.REASON_RESUMED, MSG_RESUMED, now))
        else:
            return
        self.update_deployment_status(d)

    # -- the new ReplicaSet -------------------------------------------------------------------------

    def get_all_replica_sets_and_sync_revision(self, d: Obj, rs_list: list[Obj],
                                               create: bool) -> tuple[Obj | None, list[Obj]]:
        """(new ReplicaSet or None, all old ReplicaSets), the new one at the top revision."""
        new_rs = util.find_new_replica_set(d, rs_list, self.template_key(d), self.rs_template_key)
        _, all_old = util.find_old_replica_sets(d, rs_list, new_rs)
        new_rs = self.get_new_replica_set(d, rs_list, all_old, create, new_rs)
        return new_rs, all_old

    def get_new_replica_set(self, d: Obj, rs_list: list[Obj], old_rss: list[Obj],
                            create: bool, existing: Obj | None) -> Obj | None:
        """``getNewReplicaSet``: sync the existing new ReplicaSet's annotations, or create it."""
        new_revision = util.max_revision(old_rss) + 1
        status = d.setdefault("status", {})
        now = self.clock.rfc3339()
        if existing is not None:
            from k8snb.controllers.deployment.controller import working_copy

            rs_copy = working_copy(existing)
            annotations_updated = util.set_new_replica_set_annotations(d, rs_copy, new_revision,
                                                                       True)
            min_ready = int(d["spec"].get("minReadySeconds") or 0)
            if annotations_updated or int(rs_copy["spec"].get("minReadySeconds") or 0) != \
                    min_ready:
                if min_ready:
                    rs_copy["spec"]["minReadySeconds"] = min_ready
                else:
                    rs_copy["spec"].pop("minReadySeconds", None)
                return self.update_replica_set(rs_copy)
            # The Deployment carries its new ReplicaSet's revision.
            rev = (rs_copy["metadata"].get("annotations") or {}).get(util.REVISION_ANNOTATION, "")
            if util.set_deployment_revision(d, rev):
                self.update_deployment(d)
            if util.has_progress_deadline(d) and \
                    util.get_condition(status, util.PROGRESSING) is None:
                util.set_condition(status, util.new_condition(
                    util.PROGRESSING, "True", util.REASON_FOUND_NEW_RS,
                    MSG_FOUND_RS.format(name=rs_copy["metadata"]["name"]), now))
                self.update_deployment_status(d)
            return existing
        if not create:
            return None

        # Create the new ReplicaSet: the template plus the pod-template-hash label.
        template = jcopy(d["spec"].get("template") or {})
        collision = status.get("collisionCount")
        pth = util.compute_hash(template, collision, self.template_key(d))
        tmeta = template.setdefault("metadata", {})
        tmeta["labels"] = {**(tmeta.get("labels") or {}), util.DEFAULT_UNIQUE_LABEL_KEY: pth}
        selector = jcopy(d["spec"]["selector"])
        selector["matchLabels"] = {**(selector.get("matchLabels") or {}),
                                   util.DEFAULT_UNIQUE_LABEL_KEY: pth}
        name = f"{d['metadata']['name']}-{pth}"
        from k8snb.controllers.deployment.controller import owner_reference

        spec: Obj = {"replicas": 0}
        if d["spec"].get("minReadySeconds"):
            spec["minReadySeconds"] = d["spec"]["minReadySeconds"]
        spec["selector"] = selector
        spec["template"] = template
        new_rs: Obj = {
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": name, "namespace": d["metadata"]["namespace"],
                         "labels": dict(tmeta["labels"]), "annotations": {},
                         "ownerReferences": [owner_reference(d)]},
            "spec": spec,
        }
        count = util.new_rs_new_replicas(d, [*old_rss, new_rs], new_rs)
        spec["replicas"] = count
        util.set_new_replica_set_annotations(d, new_rs, new_revision, False)
        already_exists = False
        try:
            created = self.api.create(new_rs)
        except StatusError as e:
            if e.reason == "AlreadyExists":
                already_exists = True
                rs = self.replicasets.get(d["metadata"]["namespace"], name)
                ref = util.controller_of(rs) if rs is not None else None
                if rs is not None and ref is not None and \
                        ref.get("uid") == d["metadata"]["uid"] and \
                        util.template_key(rs["spec"].get("template")) == self.template_key(d):
                    created = rs
                else:
                    # A hash collision: another template already has this name. Bump
                    # collisionCount so the next sync computes a different hash.
                    status["collisionCount"] = int(collision or 0) + 1
                    self.update_deployment_status(d)
                    raise
            elif any(c.get("reason") == "NamespaceTerminating"
                     for c in (e.status.get("details") or {}).get("causes") or ()) or \
                    "is being terminated" in e.message:
                return None
            else:
                msg = MSG_FAILED_RS_CREATE.format(name=name, error=e.message)
                if util.has_progress_deadline(d):
                    util.set_condition(status, util.new_condition(
                        util.PROGRESSING, "False", util.REASON_FAILED_RS_CREATE, msg, now))
                    try:
                        self.update_deployment_status(d)
                    except StatusError:
                        pass
                self.event(d, "Warning", util.REASON_FAILED_RS_CREATE, msg)
                raise
        if not already_exists and count > 0:
            self.event(d, "Normal", REASON_SCALING,
                       MSG_SCALED_UP_NEW.format(name=created["metadata"]["name"], new=count))
        if util.set_deployment_revision(d, str(new_revision)):
            self.update_deployment(d)
        if not already_exists and util.has_progress_deadline(d):
            util.set_condition(status, util.new_condition(
                util.PROGRESSING, "True", util.REASON_NEW_RS_CREATED,
                MSG_CREATED_RS.format(name=created["metadata"]["name"]), now))
            self.update_deployment_status(d)
        return self.replicasets.get(d["metadata"]["namespace"], name) or created

    # -- scaling ------------------------------------------------------------------------------------

    def scale(self, d: Obj, new_rs: Obj | None, old_rss: list[Obj]) -> None:
        """Resize for a changed ``replicas``: proportionally across ReplicaSets mid-rollout."""
        replicas = util.replicas_of(d)
        active_or_latest = util.find_active_or_latest(new_rs, old_rss)
        if active_or_latest is not None:
            if util.replicas_of(active_or_latest) != replicas:
                self.scale_replica_set_and_record_event(active_or_latest, replicas, d)
            return
        # A saturated new ReplicaSet: the old ones go to zero.
        if util.is_saturated(d, new_rs):
            for old in util.filter_active(old_rss):
                self.scale_replica_set_and_record_event(old, 0, d)
            return
        if (d["spec"].get("strategy") or {}).get("type") == "Recreate":
            return
        # Old ReplicaSets still have pods and the new one is not saturated: share the change
        # out in proportion to each ReplicaSet's size.
        all_rss = util.filter_active([*old_rss, new_rs])
        all_replicas = util.replica_count(all_rss)
        allowed = replicas + util.max_surge(d) if replicas > 0 else 0
        to_add = allowed - all_replicas
        op = ""
        if to_add > 0:
            all_rss = util.replica_sets_by_size(all_rss, newer_first=True)
            op = "up"
        elif to_add < 0:
            all_rss = util.replica_sets_by_size(all_rss, newer_first=False)
            op = "down"
        added = 0
        sizes: dict[str, int] = {}
        for rs in all_rss:
            name = rs["metadata"]["name"]
            if to_add != 0:
                proportion = util.get_replica_set_proportion(rs, d, to_add, added)
                sizes[name] = util.replicas_of(rs) + proportion
                added += proportion
            else:
                sizes[name] = util.replicas_of(rs)
        for i, rs in enumerate(all_rss):
            name = rs["metadata"]["name"]
            if i == 0 and to_add != 0:  # leftovers go to the largest ReplicaSet
                sizes[name] = max(0, sizes[name] + to_add - added)
            self.scale_replica_set(rs, sizes[name], d, op)

    def scale_replica_set_and_record_event(self, rs: Obj, new_scale: int,
                                           d: Obj) -> tuple[bool, Obj]:
        if util.replicas_of(rs) == new_scale:
            return False, rs
        op = "up" if util.replicas_of(rs) < new_scale else "down"
        return self.scale_replica_set(rs, new_scale, d, op)

    def scale_replica_set(self, rs: Obj, new_scale: int, d: Obj, op: str) -> tuple[bool, Obj]:
        """Write ``spec.replicas`` and the desired/max-replicas annotations; one Event."""
        replicas = util.replicas_of(d)
        maximum = replicas + util.max_surge(d)
        old_scale = util.replicas_of(rs)
        size_changed = old_scale != new_scale
        if not size_changed and not util.replicas_annotations_need_update(rs, replicas,
                                                                          maximum):
            return False, rs
        from k8snb.controllers.deployment.controller import working_copy

        rs_copy = working_copy(rs)
        rs_copy["spec"]["replicas"] = new_scale
        util.set_replicas_annotations(rs_copy, replicas, maximum)
        stored = self.update_replica_set(rs_copy)
        if size_changed:
            self.event(d, "Normal", REASON_SCALING, MSG_SCALED.format(
                op=op, name=rs["metadata"]["name"], old=old_scale, new=new_scale))
        return size_changed, stored

    def is_scaling_event(self, d: Obj, rs_list: list[Obj]) -> bool:
        """``replicas`` changed since the active ReplicaSets were last sized (their
        desired-replicas annotation differs)."""
        new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(d, rs_list, False)
        replicas = util.replicas_of(d)
        for rs in util.filter_active([*old_rss, new_rs]):
            desired = util.desired_replicas_annotation(rs)
            if desired is not None and desired != replicas:
                return True
        return False

    # -- history and status ---------------------------------------------------------------------------

    def cleanup_deployment(self, old_rss: list[Obj], d: Obj) -> None:
        """Delete the oldest empty ReplicaSets beyond ``revisionHistoryLimit``."""
        limit = d["spec"].get("revisionHistoryLimit")
        if limit is None:
            return
        alive = [rs for rs in old_rss if not rs["metadata"].get("deletionTimestamp")]
        diff = len(alive) - int(limit)
        if diff <= 0:
            return
        for rs in util.replica_sets_by_revision(alive)[:diff]:
            st = rs.get("status") or {}
            if int(st.get("replicas") or 0) != 0 or util.replicas_of(rs) != 0 or \
                    int(rs["metadata"].get("generation") or 0) > int(
                        st.get("observedGeneration") or 0):
                continue
            try:
                self.api.delete("replicasets", rs["metadata"]["name"],
                                rs["metadata"]["namespace"])
            except StatusError as e:
                if e.reason != "NotFound":
                    raise

    def sync_deployment_status(self, all_rss: list[Obj | None], new_rs: Obj | None,
                               d: Obj) -> None:
        new_status = self.calculate_status(all_rss, new_rs, d)
        if new_status == d.get("status"):
            return
        d["status"] = new_status
        self.update_deployment_status(d)

    def calculate_status(self, all_rss: list[Obj | None], new_rs: Obj | None,
                         d: Obj) -> Obj:
        """Status from the ReplicaSets' counts, plus the Available condition."""
        old = d.get("status") or {}
        available = util.available_replica_count(all_rss)
        total = util.replica_count(all_rss)
        status: Obj = {"observedGeneration": int(d["metadata"].get("generation") or 0),
                       "replicas": util.actual_replica_count(all_rss),
                       "updatedReplicas": util.actual_replica_count([new_rs]),
                       "readyReplicas": util.ready_replica_count(all_rss),
                       "availableReplicas": available,
                       "unavailableReplicas": max(0, total - available)}
        terminating = util.terminating_replica_count(all_rss)
        if terminating is not None:
            status["terminatingReplicas"] = terminating
        if old.get("conditions"):
            status["conditions"] = list(old["conditions"])
        now = self.clock.rfc3339()
        if available >= util.replicas_of(d) - util.max_unavailable(d):
            cond = util.new_condition(util.AVAILABLE, "True", util.REASON_MIN_AVAILABLE,
                                      MSG_MIN_AVAILABLE, now)
        else:
            cond = util.new_condition(util.AVAILABLE, "False", util.REASON_MIN_UNAVAILABLE,
                                      MSG_MIN_UNAVAILABLE, now)
        util.set_condition(status, cond)
        if old.get("collisionCount") is not None:
            status["collisionCount"] = old["collisionCount"]
        # Zero counts are omitted in JSON, as Go's omitempty does.
        for field in ("replicas", "updatedReplicas", "readyReplicas", "availableReplicas",
                      "unavailableReplicas"):
            if not status[field]:
                del status[field]
        return status
