"""Helpers of the Deployment controller, after ``pkg/controller/deployment/util/deployment_util.go``.

Fenceposts (how many pods a rolling update may add above, or take below, the desired count),
revision annotations, the pod-template-hash, conditions and the small counting functions the
controller and ``kubectl rollout`` share. Objects are plain dicts in manifest form.

The pod-template-hash: Kubernetes hashes the pod template with FNV-32a (Go's deep-hash printer
writes the template struct into the hasher), appends ``status.collisionCount`` as 8
little-endian bytes when it is set, prints the 32-bit sum as a decimal number and
"safe-encodes" it onto the no-vowel alphabet (``controller.ComputeHash``). The model feeds
FNV-32a the template's canonical JSON instead of Go's printed struct: the same template always
gives the same hash, but the value differs from a real cluster's.
"""

from __future__ import annotations

import json
from typing import Any

from k8snb.api.names import fnv32a, safe_encode
from k8snb.clock import parse_time

Obj = dict[str, Any]

__all__ = [
    "DEFAULT_UNIQUE_LABEL_KEY", "REVISION_ANNOTATION", "REVISION_HISTORY_ANNOTATION",
    "DESIRED_REPLICAS_ANNOTATION", "MAX_REPLICAS_ANNOTATION", "CHANGE_CAUSE_ANNOTATION",
    "ROLLBACK_TO_ANNOTATION", "LAST_APPLIED_ANNOTATION", "RESTARTED_AT_ANNOTATION",
    "compute_hash", "template_key", "equal_ignore_hash", "scaled_value", "resolve_fenceposts",
    "max_surge", "max_unavailable", "min_available", "revision", "max_revision",
    "last_revision", "replica_sets_by_creation", "replica_sets_by_revision",
    "find_new_replica_set", "find_old_replica_sets", "filter_active", "find_active_or_latest",
    "replica_count", "actual_replica_count", "ready_replica_count", "available_replica_count",
    "terminating_replica_count", "new_rs_new_replicas", "is_saturated",
    "get_replica_set_proportion", "set_new_replica_set_annotations", "set_replicas_annotations",
    "replicas_annotations_need_update", "set_deployment_revision",
    "set_deployment_annotations_to", "new_condition", "get_condition", "set_condition",
    "remove_condition", "has_progress_deadline", "deployment_complete",
    "deployment_progressing", "deployment_timed_out", "controller_of", "replicas_of",
    "replica_sets_of",
]

# -- names (apps/v1 types.go and deployment_util.go) ------------------------------------------

#: Label the controller adds to each ReplicaSet, its selector and its pods.
DEFAULT_UNIQUE_LABEL_KEY = "pod-template-hash"
REVISION_ANNOTATION = "deployment.kubernetes.io/revision"
REVISION_HISTORY_ANNOTATION = "deployment.kubernetes.io/revision-history"
DESIRED_REPLICAS_ANNOTATION = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS_ANNOTATION = "deployment.kubernetes.io/max-replicas"
#: apps/v1 keeps the old ``spec.rollbackTo`` of extensions/v1beta1 as this annotation.
ROLLBACK_TO_ANNOTATION = "deprecated.deployment.rollback.to"
CHANGE_CAUSE_ANNOTATION = "kubernetes.io/change-cause"
LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration"
RESTARTED_AT_ANNOTATION = "kubectl.kubernetes.io/restartedAt"

#: Annotations never copied from a Deployment to its ReplicaSets (``annotationsToSkip``).
ANNOTATIONS_TO_SKIP = frozenset({LAST_APPLIED_ANNOTATION, REVISION_ANNOTATION,
                                 REVISION_HISTORY_ANNOTATION, DESIRED_REPLICAS_ANNOTATION,
                                 MAX_REPLICAS_ANNOTATION, ROLLBACK_TO_ANNOTATION})
#: ``maxRevHistoryLengthInChars`` in sync.go: revision-history stays under ~2000 characters.
MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000

# Condition types and reasons.
AVAILABLE = "Available"
PROGRESSING = "Progressing"
REPLICA_FAILURE = "ReplicaFailure"
REASON_RS_UPDATED = "ReplicaSetUpdated"
REASON_FAILED_RS_CREATE = "ReplicaSetCreateError"
REASON_NEW_RS_CREATED = "NewReplicaSetCreated"
REASON_FOUND_NEW_RS = "FoundNewReplicaSet"
REASON_NEW_RS_AVAILABLE = "NewReplicaSetAvailable"
REASON_TIMED_OUT = "ProgressDeadlineExceeded"
REASON_PAUSED = "DeploymentPaused"
REASON_RESUMED = "DeploymentResumed"
REASON_MIN_AVAILABLE = "MinimumReplicasAvailable"
REASON_MIN_UNAVAILABLE = "MinimumReplicasUnavailable"
# Rollback event reasons.
REASON_ROLLBACK_NOT_FOUND = "DeploymentRollbackRevisionNotFound"
REASON_ROLLBACK_UNCHANGED = "DeploymentRollbackTemplateUnchanged"
REASON_ROLLBACK_DONE = "DeploymentRollback"

MAX_INT32 = 2**31 - 1


# -- accessors -----------------------------------------------------------------------------------

def replicas_of(obj: Obj | None) -> int:
    """``*spec.replicas`` (defaulted to 1 by the API server)."""
    if obj is None:
        return 0
    r = obj.get("spec", {}).get("replicas")
    return 1 if r is None else int(r)


def controller_of(obj: Obj) -> Obj | None:
    """The ownerReference with ``controller: true``, or None (``metav1.GetControllerOf``)."""
    for ref in obj["metadata"].get("ownerReferences") or ():
        if ref.get("controller"):
            return ref
    return None


def _status(obj: Obj | None, field: str) -> int:
    if obj is None:
        return 0
    return int((obj.get("status") or {}).get(field) or 0)


# -- hashing -------------------------------------------------------------------------------------

def _normalise(value: Any) -> Any:
    """Drop empty maps, lists and nulls: Go's semantic DeepEqual treats nil and empty alike."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            v = _normalise(v)
            if v is None or v == {} or v == []:
                continue
            out[k] = v
        return out
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return value


def template_key(template: Obj | None) -> str:
    """Canonical JSON of a pod template without its ``pod-template-hash`` label.

    Two templates are "equal ignoring the hash" (``EqualIgnoreHash``) when their keys match.
    """
    t = _normalise(template or {})
    labels = (t.get("metadata") or {}).get("labels")
    if labels and DEFAULT_UNIQUE_LABEL_KEY in labels:
        labels = {k: v for k, v in labels.items() if k != DEFAULT_UNIQUE_LABEL_KEY}
        meta = {**t["metadata"], "labels": labels}
        if not labels:
            del meta["labels"]
        t = {**t, "metadata": meta}
        if not meta:
            del t["metadata"]
    return json.dumps(t, sort_keys=True, separators=(",", ":"))


def equal_ignore_hash(t1: Obj | None, t2: Obj | None) -> bool:
    """Whether two pod templates are equal once the pod-template-hash label is removed."""
    return template_key(t1) == template_key(t2)


def compute_hash(template: Obj, collision_count: int | None = None,
                 key: str | None = None) -> str:
    """The pod-template-hash of ``template`` (``controller.ComputeHash``), e.g. ``"5d4b9c8f7"``.

    ``key`` may pass a precomputed :func:`template_key`.
    """
    data = (key if key is not None else template_key(template)).encode()
    if collision_count is not None:
        data += (collision_count & 0xFFFFFFFF).to_bytes(4, "little") + b"\0\0\0\0"
    return safe_encode(str(fnv32a(data)))


# -- fenceposts ----------------------------------------------------------------------------------

def scaled_value(value: int | str | None, total: int, round_up: bool) -> int:
    """``intstr.GetScaledValueFromIntOrPercent``: an int as-is, ``"25%"`` of ``total``.

    Raises ValueError for a string that is not ``<int>%`` (validation refuses those).
    """
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    text = str(value)
    if not text.endswith("%") or not text[:-1].lstrip("-").isdigit():
        raise ValueError(f"invalid value for IntOrString: invalid type: string is not a "
                         f"percentage: {text!r}")
    pct = int(text[:-1])
    return -(-pct * total // 100) if round_up else pct * total // 100


def resolve_fenceposts(surge: int | str | None, unavailable: int | str | None,
                       desired: int) -> tuple[int, int]:
    """(maxSurge, maxUnavailable) as pod counts (``ResolveFenceposts``).

    A percentage surge rounds up, a percentage unavailable rounds down; when both come out 0,
    maxUnavailable becomes 1 so that a rollout can still make progress.
    """
    s = scaled_value(surge, desired, True)
    u = scaled_value(unavailable, desired, False)
    if s == 0 and u == 0:
        u = 1
    return s, u


def _is_rolling(d: Obj) -> bool:
    return (d.get("spec", {}).get("strategy") or {}).get("type",
                                                         "RollingUpdate") == "RollingUpdate"


def _rolling(d: Obj) -> Obj:
    return (d["spec"].get("strategy") or {}).get("rollingUpdate") or {}


def max_surge(d: Obj) -> int:
    """Pods a rolling update may run above ``replicas`` (0 for Recreate)."""
    if not _is_rolling(d):
        return 0
    ru = _rolling(d)
    return resolve_fenceposts(ru.get("maxSurge"), ru.get("maxUnavailable"), replicas_of(d))[0]


def max_unavailable(d: Obj) -> int:
    """Pods a rolling update may have unavailable, capped at ``replicas`` (0 for Recreate)."""
    replicas = replicas_of(d)
    if not _is_rolling(d) or replicas == 0:
        return 0
    ru = _rolling(d)
    u = resolve_fenceposts(ru.get("maxSurge"), ru.get("maxUnavailable"), replicas)[1]
    return min(u, replicas)


def min_available(d: Obj) -> int:
    """``replicas - maxUnavailable`` for RollingUpdate, 0 for Recreate."""
    if not _is_rolling(d):
        return 0
    return replicas_of(d) - max_unavailable(d)


# -- revisions and ordering ------------------------------------------------------------------------

def revision(obj: Obj | None) -> int:
    """The ``deployment.kubernetes.io/revision`` annotation as a number (0 when absent/bad)."""
    if obj is None:
        return 0
    text = (obj["metadata"].get("annotations") or {}).get(REVISION_ANNOTATION, "")
    try:
        return int(text)
    except ValueError:
        return 0


def max_revision(rss: list[Obj]) -> int:
    return max((revision(rs) for rs in rss), default=0)


def last_revision(rss: list[Obj]) -> int:
    """The second highest revision (``LastRevision``): where a rollback goes by default."""
    top = second = 0
    for rs in rss:
        v = revision(rs)
        if v >= top:
            top, second = v, top
        elif v > second:
            second = v
    return second


def _created(rs: Obj) -> tuple[float, str]:
    return parse_time(rs["metadata"].get("creationTimestamp") or 0), rs["metadata"]["name"]


def replica_sets_by_creation(rss: list[Obj], *, reverse: bool = False) -> list[Obj]:
    """Oldest first, name as tie-breaker (``ReplicaSetsByCreationTimestamp``)."""
    return sorted(rss, key=_created, reverse=reverse)


def replica_sets_by_revision(rss: list[Obj]) -> list[Obj]:
    """Lowest revision first; creation time breaks ties (``ReplicaSetsByRevision``)."""
    return sorted(rss, key=lambda rs: (revision(rs), *_created(rs)))


def replica_sets_by_size(rss: list[Obj], *, newer_first: bool) -> list[Obj]:
    """Largest first; ties newer first (``BySizeNewer``) or older first (``BySizeOlder``)."""
    def key(rs: Obj) -> tuple[int, float, str]:
        t, name = _created(rs)
        return (-replicas_of(rs), -t if newer_first else t, name)
    return sorted(rss, key=key)


# -- new and old ReplicaSets -----------------------------------------------------------------------

def find_new_replica_set(d: Obj, rss: list[Obj], key: str | None = None,
                         rs_key: Any = None) -> Obj | None:
    """The oldest ReplicaSet whose template equals the Deployment's, ignoring the hash.

    ``key`` may pass the Deployment's :func:`template_key`, ``rs_key`` a (caching) function
    giving a ReplicaSet's.
    """
    want = key if key is not None else template_key(d["spec"].get("template"))
    for rs in replica_sets_by_creation(rss):
        got = rs_key(rs) if rs_key is not None else template_key(rs["spec"].get("template"))
        if got == want:
            return rs
    return None


def find_old_replica_sets(d: Obj, rss: list[Obj], new_rs: Obj | None) -> tuple[list[Obj],
                                                                             list[Obj]]:
    """(old ReplicaSets with pods, all old ReplicaSets)."""
    new_uid = new_rs["metadata"]["uid"] if new_rs is not None else None
    all_old = [rs for rs in rss if rs["metadata"]["uid"] != new_uid]
    return [rs for rs in all_old if replicas_of(rs) != 0], all_old


def filter_active(rss: list[Obj | None]) -> list[Obj]:
    """ReplicaSets with ``spec.replicas > 0`` (``FilterActiveReplicaSets``)."""
    return [rs for rs in rss if rs is not None and replicas_of(rs) > 0]


def find_active_or_latest(new_rs: Obj | None, old_rss: list[Obj]) -> Obj | None:
    """The only active ReplicaSet; the newest one when none is active; None when several are."""
    if new_rs is None and not old_rss:
        return None
    old_sorted = replica_sets_by_creation(old_rss, reverse=True)
    active = filter_active([*old_sorted, new_rs])
    if len(active) == 0:
        return new_rs if new_rs is not None else old_sorted[0]
    if len(active) == 1:
        return active[0]
    return None


def replica_count(rss: list[Obj | None]) -> int:
    """Sum of ``spec.replicas`` (``GetReplicaCountForReplicaSets``)."""
    return sum(replicas_of(rs) for rs in rss if rs is not None)


def actual_replica_count(rss: list[Obj | None]) -> int:
    return sum(_status(rs, "replicas") for rs in rss)


def ready_replica_count(rss: list[Obj | None]) -> int:
    return sum(_status(rs, "readyReplicas") for rs in rss)


def available_replica_count(rss: list[Obj | None]) -> int:
    return sum(_status(rs, "availableReplicas") for rs in rss)


def terminating_replica_count(rss: list[Obj | None]) -> int | None:
    """Sum of ``status.terminatingReplicas``; None when a ReplicaSet does not report it."""
    total = 0
    for rs in rss:
        if rs is None:
            continue
        v = (rs.get("status") or {}).get("terminatingReplicas")
        if v is None:
            return None
        total += int(v)
    return total


def new_rs_new_replicas(d: Obj, all_rss: list[Obj | None], new_rs: Obj) -> int:
    """How big the new ReplicaSet may be now (``NewRSNewReplicas``).

    RollingUpdate: grow by ``min(replicas + maxSurge - all pods, replicas - new)``;
    Recreate: straight to ``replicas``.
    """
    replicas = replicas_of(d)
    if not _is_rolling(d):
        return replicas
    current = replica_count(all_rss)
    max_total = replicas + max_surge(d)
    if current >= max_total:
        return replicas_of(new_rs)
    scale_up = min(max_total - current, replicas - replicas_of(new_rs))
    return replicas_of(new_rs) + scale_up


def _int_annotation(rs: Obj, name: str) -> int | None:
    text = (rs["metadata"].get("annotations") or {}).get(name)
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        return None


def desired_replicas_annotation(rs: Obj) -> int | None:
    return _int_annotation(rs, DESIRED_REPLICAS_ANNOTATION)


def is_saturated(d: Obj, rs: Obj | None) -> bool:
    """The new ReplicaSet has all ``replicas`` pods, available, for this size of Deployment."""
    if rs is None:
        return False
    desired = desired_replicas_annotation(rs)
    if desired is None:
        return False
    replicas = replicas_of(d)
    return (replicas_of(rs) == replicas and desired == replicas
            and _status(rs, "availableReplicas") == replicas)


def _round_half_away(x: float) -> int:
    return int(x + 0.5) if x >= 0 else int(x - 0.5)


def _replica_set_fraction(rs: Obj, d: Obj) -> int:
    """How many pods ``rs`` gains/loses when the Deployment is resized (``getReplicaSetFraction``).

    Its share is its size relative to the ``max-replicas`` the Deployment had when it last
    scaled it, applied to the new ``replicas + maxSurge``.
    """
    replicas = replicas_of(d)
    if replicas == 0:
        return -replicas_of(rs)
    deployment_max = replicas + max_surge(d)
    annotated = _int_annotation(rs, MAX_REPLICAS_ANNOTATION)
    if annotated is None:
        annotated = _status(d, "replicas")
    if annotated == 0:
        return 0
    return _round_half_away(replicas_of(rs) * deployment_max / annotated) - replicas_of(rs)


def get_replica_set_proportion(rs: Obj | None, d: Obj, to_add: int, added: int) -> int:
    """``GetReplicaSetProportion``: this ReplicaSet's share of ``to_add``, never past it."""
    if rs is None or replicas_of(rs) == 0 or to_add == 0 or to_add == added:
        return 0
    fraction = _replica_set_fraction(rs, d)
    allowed = to_add - added
    return min(fraction, allowed) if to_add > 0 else max(fraction, allowed)


# -- annotations -----------------------------------------------------------------------------------

def _sorted_annotations(meta: Obj) -> None:
    ann = meta.get("annotations")
    if ann:
        meta["annotations"] = dict(sorted(ann.items()))


def _copy_deployment_annotations(d: Obj, rs: Obj) -> bool:
    ann = rs["metadata"].setdefault("annotations", {})
    changed = False
    for k, v in (d["metadata"].get("annotations") or {}).items():
        if k in ANNOTATIONS_TO_SKIP or ann.get(k) == v:
            continue
        ann[k] = v
        changed = True
    return changed


def set_replicas_annotations(rs: Obj, desired: int, maximum: int) -> bool:
    ann = rs["metadata"].setdefault("annotations", {})
    changed = False
    for name, value in ((DESIRED_REPLICAS_ANNOTATION, str(desired)),
                        (MAX_REPLICAS_ANNOTATION, str(maximum))):
        if ann.get(name) != value:
            ann[name] = value
            changed = True
    if changed:
        _sorted_annotations(rs["metadata"])
    return changed


def replicas_annotations_need_update(rs: Obj, desired: int, maximum: int) -> bool:
    ann = rs["metadata"].get("annotations") or {}
    return (ann.get(DESIRED_REPLICAS_ANNOTATION) != str(desired)
            or ann.get(MAX_REPLICAS_ANNOTATION) != str(maximum))


def set_new_replica_set_annotations(d: Obj, rs: Obj, new_revision: int, exists: bool) -> bool:
    """Copy the Deployment's annotations, raise the revision, keep the revision history.

    A ReplicaSet that already had a lower revision is being rolled back to: its old number
    goes to ``revision-history`` (``SetNewReplicaSetAnnotations``).
    """
    changed = _copy_deployment_annotations(d, rs)
    ann = rs["metadata"]["annotations"]
    old_text = ann.get(REVISION_ANNOTATION)
    if old_text is not None:
        try:
            old = int(old_text)
        except ValueError:
            return False
    else:
        old = 0
    if old < new_revision:
        ann[REVISION_ANNOTATION] = str(new_revision)
        changed = True
        if old_text is not None:
            history = ann.get(REVISION_HISTORY_ANNOTATION, "")
            if not history:
                ann[REVISION_HISTORY_ANNOTATION] = old_text
            else:
                olds = history.split(",")
                total = len(history) + len(old_text) + 1
                start = 0
                while total > MAX_REV_HISTORY_LENGTH_IN_CHARS and start < len(olds):
                    total -= len(olds[start]) + 1
                    start += 1
                if total <= MAX_REV_HISTORY_LENGTH_IN_CHARS:
                    ann[REVISION_HISTORY_ANNOTATION] = ",".join([*olds[start:], old_text])
    if not exists and set_replicas_annotations(rs, replicas_of(d),
                                               replicas_of(d) + max_surge(d)):
        changed = True
    _sorted_annotations(rs["metadata"])
    return changed


def set_deployment_revision(d: Obj, rev: str) -> bool:
    ann = d["metadata"].setdefault("annotations", {})
    if ann.get(REVISION_ANNOTATION) != rev:
        ann[REVISION_ANNOTATION] = rev
        _sorted_annotations(d["metadata"])
        return True
    return False


def set_deployment_annotations_to(d: Obj, rs: Obj) -> None:
    """Give the Deployment the annotations of the ReplicaSet it rolls back to."""
    ann = {k: v for k, v in (d["metadata"].get("annotations") or {}).items()
           if k in ANNOTATIONS_TO_SKIP}
    for k, v in (rs["metadata"].get("annotations") or {}).items():
        if k not in ANNOTATIONS_TO_SKIP:
            ann[k] = v
    d["metadata"]["annotations"] = dict(sorted(ann.items()))


# -- conditions ------------------------------------------------------------------------------------

def new_condition(type_: str, status: str, reason: str, message: str, now: str) -> Obj:
    """A DeploymentCondition, fields in the order ``kubectl get -o yaml`` prints them."""
    return {"lastTransitionTime": now, "lastUpdateTime": now, "message": message,
            "reason": reason, "status": status, "type": type_}


def get_condition(status: Obj, type_: str) -> Obj | None:
    for c in status.get("conditions") or ():
        if c.get("type") == type_:
            return c
    return None


def set_condition(status: Obj, cond: Obj) -> None:
    """``SetDeploymentCondition``: same status and reason is a no-op; otherwise replace it
    (moved to the end), keeping lastTransitionTime when only the reason changed."""
    current = get_condition(status, cond["type"])
    if current is not None and current.get("status") == cond["status"] and \
            current.get("reason") == cond["reason"]:
        return
    if current is not None and current.get("status") == cond["status"]:
        cond["lastTransitionTime"] = current.get("lastTransitionTime")
    remove_condition(status, cond["type"])
    status.setdefault("conditions", []).append(cond)


def remove_condition(status: Obj, type_: str) -> None:
    conds = [c for c in status.get("conditions") or () if c.get("type") != type_]
    if conds:
        status["conditions"] = conds
    else:
        status.pop("conditions", None)


def has_progress_deadline(d: Obj) -> bool:
    pds = d["spec"].get("progressDeadlineSeconds")
    return pds is not None and pds != MAX_INT32


def deployment_complete(d: Obj, status: Obj) -> bool:
    """All replicas updated, no old ones left, all available, and the spec observed."""
    replicas = replicas_of(d)
    return (int(status.get("updatedReplicas") or 0) == replicas
            and int(status.get("replicas") or 0) == replicas
            and int(status.get("availableReplicas") or 0) == replicas
            and int(status.get("observedGeneration") or 0)
            >= int(d["metadata"].get("generation") or 0))


def deployment_progressing(d: Obj, new: Obj) -> bool:
    """More updated, fewer old, more ready or more available pods than last time."""
    old = d.get("status") or {}

    def g(s: Obj, f: str) -> int:
        return int(s.get(f) or 0)

    return (g(new, "updatedReplicas") > g(old, "updatedReplicas")
            or g(new, "replicas") - g(new, "updatedReplicas")
            < g(old, "replicas") - g(old, "updatedReplicas")
            or g(new, "readyReplicas") > g(old, "readyReplicas")
            or g(new, "availableReplicas") > g(old, "availableReplicas"))


def deployment_timed_out(d: Obj, status: Obj, now: float) -> bool:
    """Progressing's lastUpdateTime + progressDeadlineSeconds is strictly before ``now``."""
    if not has_progress_deadline(d):
        return False
    cond = get_condition(status, PROGRESSING)
    if cond is None or cond.get("reason") == REASON_NEW_RS_AVAILABLE:
        return False
    if cond.get("reason") == REASON_TIMED_OUT:
        return True
    last = parse_time(cond.get("lastUpdateTime") or 0)
    return last + int(d["spec"]["progressDeadlineSeconds"]) < now


def replica_sets_of(api: Any, d: Obj) -> tuple[Obj | None, list[Obj], list[Obj]]:
    """(new ReplicaSet, old ones with replicas, all old ones) of ``d`` as kubectl finds them
    (``deploymentutil.GetAllReplicaSets``): ReplicaSets of the namespace it controls."""
    uid = d["metadata"].get("uid")
    owned = [rs for rs in api.list("replicasets", d["metadata"].get("namespace") or "default")
             if (ref := controller_of(rs)) is not None and ref.get("uid") == uid]
    new = find_new_replica_set(d, owned)
    required, all_old = find_old_replica_sets(d, owned, new)
    return new, required, all_old
