"""ControllerRevisions: the template history of StatefulSets and DaemonSets.

A StatefulSet or DaemonSet never keeps old pod templates in itself. Each distinct template
is snapshotted into an ``apps/v1`` ControllerRevision owned by the workload: ``data`` holds a
patch that restores the template (``{"spec": {"template": {..., "$patch": "replace"}}}``) and
``revision`` a number that grows with every change (a rollback to an older template bumps
that old revision's number instead of creating a new one). Pods carry the revision they were
made from in the ``controller-revision-hash`` label, which is how the controllers tell old
pods from new ones. Sources: ``pkg/controller/history/controller_history.go``,
``pkg/controller/statefulset/stateful_set_utils.go`` (getPatch, newRevision, ApplyRevision),
``pkg/controller/daemon/update.go`` (constructHistory, snapshot), ``pkg/controller/
controller_utils.go`` (ComputeHash).

Hashes: upstream hashes Go's JSON or ``spew`` rendering of the object; here the canonical JSON
of the dict (sorted keys, no spaces) is hashed the same way (FNV-1 for StatefulSet revisions,
FNV-1a for DaemonSet template hashes) and ``safe_encode``-d, so names look alike
(``web-7b8c9d6f5``) but are not byte-identical to a real cluster's.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from k8snb.api.errors import StatusError
from k8snb.api.names import fnv32a, safe_encode
from k8snb.controllers.podcontrol import CONTROLLER_UID_INDEX, controller_uid_index, ensure_index
from k8snb.util.jsoncopy import jcopy

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = [
    "CONTROLLER_REVISION_HASH_LABEL",
    "ControllerHistory",
    "HASH_LABEL",
    "compute_hash",
    "fnv32",
    "hash_revision",
    "next_revision",
    "revision_name",
    "sort_revisions",
    "template_from_revision",
    "template_patch",
]

Obj = dict[str, Any]

#: The pod (and DaemonSet revision) label naming the revision a pod was made from
#: (``apps.ControllerRevisionHashLabelKey`` / ``DefaultDaemonSetUniqueLabelKey``).
CONTROLLER_REVISION_HASH_LABEL = "controller-revision-hash"
#: The label the generic history helper puts on a StatefulSet's ControllerRevisions.
HASH_LABEL = "controller.kubernetes.io/hash"

_FNV32_OFFSET = 0x811C9DC5
_FNV32_PRIME = 0x01000193


def fnv32(data: bytes) -> int:
    """32-bit FNV-1 (multiply, then xor), Go's ``fnv.New32`` used by HashControllerRevision."""
    h = _FNV32_OFFSET
    for byte in data:
        h = (h * _FNV32_PRIME) & 0xFFFFFFFF
        h ^= byte
    return h


def _canonical(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def hash_revision(data: Obj, probe: int | None = None) -> str:
    """``HashControllerRevision``: FNV-1 of the revision data, plus the collision count.

    >>> hash_revision({"spec": {"template": {}}})  # doctest: +SKIP
    '5d8c6f9b7'
    """
    raw = _canonical(data)
    if probe is not None:
        raw += str(probe).encode()
    return safe_encode(str(fnv32(raw)))


def compute_hash(template: Obj, collision_count: int | None = None) -> str:
    """``controller.ComputeHash``: FNV-1a of a pod template (+ the collision count, 8 bytes)."""
    raw = _canonical(template)
    if collision_count is not None:
        raw += (collision_count & 0xFFFFFFFF).to_bytes(4, "little") + b"\0\0\0\0"
    return safe_encode(str(fnv32a(raw)))


def revision_name(prefix: str, hash_: str) -> str:
    """``ControllerRevisionName``: ``<owner>-<hash>``, the owner name cut to 223 characters."""
    return f"{prefix[:223]}-{hash_}"


def template_patch(owner: Obj) -> Obj:
    """``getPatch``: the part of the owner a revision restores, its pod template."""
    template = jcopy((owner.get("spec") or {}).get("template") or {})
    template["$patch"] = "replace"
    return {"spec": {"template": template}}


def template_from_revision(revision: Obj) -> Obj:
    """The pod template a revision stores (``ApplyRevision`` without the rest of the owner)."""
    template = jcopy(((revision.get("data") or {}).get("spec") or {}).get("template") or {})
    template.pop("$patch", None)
    return template


def sort_revisions(revisions: Iterable[Obj]) -> list[Obj]:
    """``SortControllerRevisions``: by revision number, then creation time, then name."""
    return sorted(revisions, key=lambda r: (int(r.get("revision") or 0),
                                            r["metadata"].get("creationTimestamp") or "",
                                            r["metadata"]["name"]))


def next_revision(revisions: list[Obj]) -> int:
    """One more than the highest revision number (1 for a new history)."""
    return max((int(r.get("revision") or 0) for r in revisions), default=0) + 1


class ControllerHistory:
    """``history.Interface`` over the API server: list, create, renumber and delete revisions.

    Revisions are found through a shared ``controllerrevisions`` informer indexed by the
    uid of their controller, so a lookup never scans other owners' history.
    """

    def __init__(self, cluster: Cluster) -> None:
        self.api = cluster.api
        self.clock = cluster.clock
        self.informer = cluster.informers.informer("controllerrevisions")
        ensure_index(self.informer, CONTROLLER_UID_INDEX, controller_uid_index)

    def list_for(self, owner: Obj) -> list[Obj]:
        """The owner's revisions, sorted oldest first (shared objects: read only)."""
        return sort_revisions(self.informer.by_index(CONTROLLER_UID_INDEX, owner["metadata"]["uid"]))

    def create(self, owner: Obj, revision: Obj, name_for: Any,
               collision_count: int) -> tuple[Obj, int]:
        """``CreateControllerRevision``: create ``revision``, renaming it on a name clash.

        ``name_for(collision_count) -> (name, hash)`` names it; an existing revision with the
        same name and data is returned as is, a different one bumps the collision count.
        Returns the stored revision and the (possibly increased) collision count.
        """
        ns = owner["metadata"].get("namespace", "default")
        while True:
            name, hash_ = name_for(collision_count)
            obj = jcopy(revision)
            obj["metadata"]["name"] = name
            obj["metadata"]["namespace"] = ns
            obj["metadata"].setdefault("labels", {})
            if hash_ is not None:
                obj["metadata"]["labels"][hash_[0]] = hash_[1]
            try:
                return self.api.create(obj, ns), collision_count
            except StatusError as e:
                if e.reason != "AlreadyExists":
                    raise
                existing = self.informer.get(ns, name)
                if existing is not None and existing.get("data") == obj.get("data"):
                    return existing, collision_count
                collision_count += 1

    def set_revision(self, revision: Obj, number: int) -> Obj:
        """``UpdateControllerRevision``: give an old revision a new number (a rollback)."""
        if int(revision.get("revision") or 0) == number:
            return revision
        new = jcopy(revision)
        new["revision"] = number
        return self.api.update(new)

    def truncate(self, revisions: list[Obj], live: set[str], limit: int) -> None:
        """``truncateHistory``: delete the oldest non-live revisions beyond ``limit``."""
        history = [r for r in revisions if r["metadata"]["name"] not in live]
        if limit < 0 or len(history) <= limit:
            return
        for r in history[:len(history) - limit]:
            try:
                self.api.delete("controllerrevisions", r["metadata"]["name"],
                                r["metadata"]["namespace"])
            except StatusError as e:
                if e.reason != "NotFound":
                    raise

