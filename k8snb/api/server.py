"""The API server: the only door to the store.

Every request goes through the same steps as in kube-apiserver: resolve the resource, decode and
(for what a learner submits) strictly validate the fields, default, admit (namespace lifecycle,
service account, default tolerations), validate semantically, then write to etcd with a new
resourceVersion. A rejected request raises :class:`~k8snb.api.errors.StatusError` and changes
nothing. Components (controllers, the scheduler, kubelets) use the same verbs.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from typing import Any

from k8snb.api import admission, errors
from k8snb.api.defaults import apply_defaults
from k8snb.api.events import EventCorrelator, EventTTL
from k8snb.api.registry import REGISTRY, ResourceInfo
from k8snb.api.validation import validate
from k8snb.clock import Clock
from k8snb.store.etcd import Store
from k8snb.util.jsoncopy import jcopy

__all__ = ["APIServer"]

Obj = dict[str, Any]
Handler = Callable[[str, Obj], None]

_NO_SPEC_GENERATION = {"Pod", "Namespace", "Node", "Event", "Lease", "Endpoints",
                       "EndpointSlice", "ConfigMap", "Secret", "ServiceAccount"}
_IMMORTAL_NAMESPACES = ("default", "kube-system", "kube-public")


_SHARE_POOL_LIMIT = 50_000


class SharedParts:
    """Structural sharing of identical JSON subtrees between stored objects.

    150,000 pods of 1,500 templates repeat the same container resources, tolerations,
    service-account volume, conditions and event sources. Stored objects are never mutated
    in place (every writer copies first), so equal subtrees can be one object. ``share``
    replaces, bottom-up, each dict and list of a freshly built value by an equal one already
    seen (same keys in the same order, same scalar types). The pool forgets everything when it
    grows past a limit: sharing is an optimisation, never a meaning.
    """

    def __init__(self) -> None:
        self._pool: dict[tuple, Any] = {}

    def share(self, value: Any) -> Any:
        """``value`` (owned by the caller: its containers may be updated in place) or an equal
        shared subtree."""
        if isinstance(value, dict):
            parts: list = ["d"]
            for k, x in value.items():
                if isinstance(x, dict | list):
                    y = self.share(x)
                    if y is not x:
                        value[k] = y
                    parts += (k, id(y))
                elif type(x) is str:
                    parts += (k, x)
                else:
                    parts += (k, (type(x), x))
        elif isinstance(value, list):
            parts = ["l"]
            for i, x in enumerate(value):
                if isinstance(x, dict | list):
                    y = self.share(x)
                    if y is not x:
                        value[i] = y
                    parts.append(id(y))
                elif type(x) is str:
                    parts.append((str, x))
                else:
                    parts.append((type(x), x))
        else:
            return value
        key = tuple(parts)
        hit = self._pool.get(key)
        if hit is not None:
            return hit
        if len(self._pool) >= _SHARE_POOL_LIMIT:
            self._pool.clear()
        self._pool[key] = value
        return value


def _key(obj: Obj) -> tuple[str, str]:
    meta = obj["metadata"]
    return meta.get("namespace", ""), meta["name"]


class APIServer:
    """REST-shaped verbs over plain dict objects (see ``docs/internals.md``)."""

    def __init__(self, store: Store, clock: Clock, rng: random.Random) -> None:
        self.store = store
        self.clock = clock
        self.rng = rng
        self.registry = REGISTRY
        self.admission = admission.Admission(self)
        self.correlator = EventCorrelator()
        self.event_ttl = EventTTL(clock, lambda key: self.store.get("events", key),
                                  self._expire_event)
        # (event namespace, involved kind, involved name) -> event names, for events_for
        self._events_by_object: dict[tuple[str, str, str], list[str]] = {}
        self.shared = SharedParts()

    # -- helpers -----------------------------------------------------------------------------

    def resolve(self, resource: str | ResourceInfo) -> ResourceInfo:
        try:
            return self.registry.resolve(resource)
        except KeyError:
            raise errors.StatusError(
                404, "NotFound", f'the server doesn\'t have a resource type "{resource}"'
            ) from None

    def _ns(self, info: ResourceInfo, namespace: str | None) -> str:
        if not info.namespaced:
            return ""
        return namespace or "default"

    def new_uid(self) -> str:
        """A version-4 UUID from the cluster's seeded random source."""
        b = bytearray(self.rng.getrandbits(128).to_bytes(16, "little"))
        b[6] = (b[6] & 0x0F) | 0x40
        b[8] = (b[8] & 0x3F) | 0x80
        h = b.hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    # -- reads -------------------------------------------------------------------------------

    def get_shared(self, resource: str | ResourceInfo, name: str,
                   namespace: str | None = None) -> Obj:
        """The stored object itself (read-only!) or NotFound."""
        info = self.resolve(resource)
        obj = self.store.get(info.plural, (self._ns(info, namespace), name))
        if obj is None:
            raise errors.not_found(info.qualified, name)
        return obj

    def get(self, resource: str | ResourceInfo, name: str, namespace: str | None = None) -> Obj:
        return jcopy(self.get_shared(resource, name, namespace))

    def list(self, resource: str | ResourceInfo, namespace: str | None = None,
             label_selector: str | None = None, field_selector: str | None = None) -> list[Obj]:
        """Objects of ``resource`` in ``namespace`` (None: all), filtered, sorted by ns/name."""
        info = self.resolve(resource)
        ns = None if (namespace is None or not info.namespaced) else namespace
        items = self.store.items(info.plural, ns)
        if label_selector:
            from k8snb.api.labels import SelectorError, parse_selector

            try:
                sel = parse_selector(label_selector)
            except SelectorError as e:
                raise errors.bad_request(str(e)) from None
            items = (o for o in items if sel.matches(o["metadata"].get("labels") or {}))
        if field_selector:
            from k8snb.api.fields import parse_field_selector

            try:
                fsel = parse_field_selector(field_selector, info.kind)
            except ValueError as e:
                raise errors.bad_request(str(e)) from None
            items = (o for o in items if fsel.matches(o))
        out = [jcopy(o) for o in items]
        out.sort(key=lambda o: (o["metadata"].get("namespace", ""), o["metadata"]["name"]))
        return out

    def watch(self, resource: str | ResourceInfo, handler: Handler) -> Callable[[], None]:
        """Call ``handler(type, obj)`` for every change; ``obj`` is shared, never mutate it."""
        info = self.resolve(resource)
        return self.store.watch(info.plural, lambda kind, obj, old: handler(kind, obj))

    # -- writes ------------------------------------------------------------------------------

    def create(self, obj: Obj, namespace: str | None = None, *,
               field_validation: str | None = None, dry_run: bool = False,
               owned: bool = False) -> Obj:
        """Create ``obj``; ``field_validation="Strict"`` checks it against the schema first.

        ``owned=True`` (controllers' hot paths) hands ``obj`` over, as for ``update``: it is
        stored without a copy and the stored object is returned, read-only.
        """
        if not isinstance(obj, dict) or not obj.get("kind") or not obj.get("apiVersion"):
            raise errors.bad_request("Object 'Kind' is missing in the request body")
        try:
            info = self.registry.for_kind(obj["apiVersion"], obj["kind"])
        except KeyError:
            raise errors.StatusError(
                404, "NotFound",
                f'the server could not find the requested resource (no kind "{obj["kind"]}" '
                f'is registered for version "{obj["apiVersion"]}")') from None
        obj = obj if owned else jcopy(obj)
        meta = obj.setdefault("metadata", {})
        if not isinstance(meta, dict):
            raise errors.bad_request("metadata must be an object")
        if field_validation == "Strict":
            self._strict(obj, info)
        if info.namespaced:
            ns = namespace or meta.get("namespace") or "default"
            if meta.get("namespace") and namespace and meta["namespace"] != namespace:
                raise errors.bad_request(
                    "the namespace of the provided object does not match the namespace sent "
                    "on the request")
            meta["namespace"] = ns
        else:
            meta.pop("namespace", None)
        if not meta.get("name") and meta.get("generateName"):
            from k8snb.api.names import generate_name

            meta["name"] = generate_name(meta["generateName"], self.rng)
        for field in ("uid", "resourceVersion", "creationTimestamp", "deletionTimestamp",
                      "generation"):
            meta.pop(field, None)
        apply_defaults(obj)
        self.admission.admit_create(obj, info)
        causes = validate(obj, info.namespaced)
        if causes:
            raise errors.invalid(info.kind, meta.get("name") or meta.get("generateName", ""),
                                 causes)
        key = _key(obj)
        if self.store.get(info.plural, key) is not None:
            err = errors.already_exists(info.qualified, meta["name"])
            if meta.get("generateName"):
                err.message += (", the server was not able to generate a unique name for the "
                                "object")
            raise err
        meta["uid"] = meta.get("uid") or self.new_uid()  # Job admission draws it early
        meta["creationTimestamp"] = self.clock.rfc3339()
        if info.kind not in _NO_SPEC_GENERATION and "spec" in obj:
            meta["generation"] = 1
        self.admission.allocate(obj, info)
        if dry_run:
            return obj
        if info.kind == "Pod":
            self._share_pod(obj)
        self.store.put(info.plural, key, obj)
        if info.plural == "events":
            self.event_ttl.written(key, generic=True)
            self._index_event(key, obj)
        return obj if owned else jcopy(obj)

    def _share_pod(self, obj: Obj) -> None:
        """Share the parts of a new pod that its siblings repeat (see SharedParts)."""
        share = self.shared.share
        meta = obj["metadata"]
        if "generateName" in meta:  # "web-7f9bc87455-" on every pod of a ReplicaSet
            meta["generateName"] = sys.intern(meta["generateName"])
        for field in ("labels", "ownerReferences", "annotations"):
            if field in meta:
                meta[field] = share(meta[field])
        spec = obj.get("spec")
        if isinstance(spec, dict):
            for k, v in spec.items():
                if isinstance(v, dict | list):
                    spec[k] = share(v)
        status = obj.get("status")
        if isinstance(status, dict):
            obj["status"] = share(status)

    def _strict(self, obj: Obj, info: ResourceInfo) -> None:
        from k8snb.api.schema import schema_errors

        problems = schema_errors(obj)
        if problems:
            raise errors.bad_request(
                f'{info.kind} in version "{info.version}" cannot be handled as a {info.kind}: '
                + problems[0])

    def update(self, obj: Obj, *, field_validation: str | None = None,
               subresource: str | None = None, owned: bool = False) -> Obj:
        """Replace an object (status is kept unless ``subresource="status"``).

        A stale ``metadata.resourceVersion`` is a Conflict, as in Kubernetes' optimistic
        concurrency. ``owned=True`` (components' hot paths) hands ``obj`` over to the server:
        it is stored without a copy and the stored object is returned, read-only.
        """
        info = self.registry.for_kind(obj["apiVersion"], obj["kind"])
        if subresource == "status":
            return self._update_status(obj, info, owned)
        obj = obj if owned else jcopy(obj)
        meta = obj.setdefault("metadata", {})
        if info.namespaced:
            meta.setdefault("namespace", "default")
        key = _key(obj)
        current = self.store.get(info.plural, key)
        if current is None:
            raise errors.not_found(info.qualified, meta["name"])
        rv = meta.get("resourceVersion")
        if rv and rv != current["metadata"]["resourceVersion"]:
            raise errors.conflict(info.qualified, meta["name"])
        if field_validation == "Strict":
            self._strict(obj, info)
        cur_meta = current["metadata"]
        for field in ("uid", "creationTimestamp", "deletionTimestamp",
                      "deletionGracePeriodSeconds", "generation"):
            if field in cur_meta:
                meta[field] = cur_meta[field]
            else:
                meta.pop(field, None)
        if "status" in current:
            obj["status"] = current["status"]  # shared: stored objects are never mutated
        apply_defaults(obj)
        causes = validate(obj, info.namespaced)
        causes += self.admission.validate_update(obj, current, info)
        if causes:
            raise errors.invalid(info.kind, meta["name"], causes)
        if "generation" in cur_meta and obj.get("spec") != current.get("spec"):
            meta["generation"] = cur_meta["generation"] + 1
        if cur_meta.get("deletionTimestamp"):
            added = set(meta.get("finalizers") or []) - set(cur_meta.get("finalizers") or [])
            if added:
                raise errors.invalid(info.kind, meta["name"], [(
                    "metadata.finalizers",
                    "Forbidden: no new finalizers can be added if the object is being "
                    "deleted")])
        if meta.get("deletionTimestamp") and not meta.get("finalizers") and (
                info.kind != "Pod" or cur_meta.get("deletionGracePeriodSeconds") == 0):
            self.store.remove(info.plural, key)
            return obj
        self.store.put(info.plural, key, obj)
        if info.plural == "events":
            self.event_ttl.written(key, generic=True)
            self._index_event(key, obj)  # its involvedObject may have changed
        return obj if owned else jcopy(obj)

    def _update_status(self, obj: Obj, info: ResourceInfo, owned: bool) -> Obj:
        """The ``/status`` subresource: only ``status`` changes; the rest is shared with the
        stored version (stored objects are never mutated in place)."""
        meta = obj.get("metadata") or {}
        key = (meta.get("namespace", "default") if info.namespaced else "", meta.get("name", ""))
        current = self.store.get(info.plural, key)
        if current is None:
            raise errors.not_found(info.qualified, key[1])
        rv = meta.get("resourceVersion")
        if rv and rv != current["metadata"]["resourceVersion"]:
            raise errors.conflict(info.qualified, key[1])
        status = obj.get("status", {})
        status = status if owned else jcopy(status)
        if info.kind == "Pod" and isinstance(status, dict):
            # kubelets rewrite whole statuses: share what pods have in common (conditions,
            # container states, host IPs)
            status = self.shared.share(status)
        new = {**current, "metadata": dict(current["metadata"]), "status": status}
        self.store.put(info.plural, key, new)
        return new if owned else jcopy(new)

    def update_status(self, obj: Obj, *, owned: bool = False) -> Obj:
        return self.update(obj, subresource="status", owned=owned)

    def patch(self, resource: str | ResourceInfo, name: str, patch: Any,
              namespace: str | None = None, patch_type: str = "strategic",
              *, field_validation: str | None = None, subresource: str | None = None) -> Obj:
        """Apply a merge, JSON or strategic merge patch and store the result."""
        from k8snb.api import patch as patching

        info = self.resolve(resource)
        current = self.get(info, name, namespace)
        try:
            if patch_type == "merge":
                new = patching.merge_patch(current, patch)
            elif patch_type == "json":
                new = patching.json_patch(current, patch)
            else:
                new = patching.strategic_merge_patch(current, patch, info.kind)
        except errors.StatusError:
            raise
        except Exception as e:  # a malformed patch is the client's error
            raise errors.bad_request(str(e)) from None
        new["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"]
        return self.update(new, field_validation=field_validation, subresource=subresource)

    def delete(self, resource: str | ResourceInfo, name: str, namespace: str | None = None,
               propagation_policy: str | None = None,
               grace_period_seconds: int | None = None) -> Obj:
        """Delete, honouring finalizers, graceful pod termination and propagation policy."""
        info = self.resolve(resource)
        ns = self._ns(info, namespace)
        current = self.store.get(info.plural, (ns, name))
        if current is None:
            raise errors.not_found(info.qualified, name)
        if info.kind == "Namespace":
            return self._delete_namespace(current)
        obj = jcopy(current)
        meta = obj["metadata"]
        finalizers = list(meta.get("finalizers") or [])
        if propagation_policy is None:
            propagation_policy = "Background"
            if "orphan" in finalizers:
                propagation_policy = "Orphan"
            elif "foregroundDeletion" in finalizers:
                propagation_policy = "Foreground"
        if propagation_policy == "Orphan" and "orphan" not in finalizers:
            finalizers.append("orphan")
        if propagation_policy == "Foreground" and "foregroundDeletion" not in finalizers:
            finalizers.append("foregroundDeletion")
        graceful = (info.kind == "Pod" and obj.get("spec", {}).get("nodeName")
                    and obj.get("status", {}).get("phase") not in ("Succeeded", "Failed"))
        if graceful:
            grace = obj["spec"].get("terminationGracePeriodSeconds", 30)
            if grace_period_seconds is not None:
                grace = grace_period_seconds
            if grace == 0:
                graceful = False
        if meta.get("deletionTimestamp"):
            # Already terminating: a second delete with grace 0 (the kubelet confirming that
            # the containers are gone, or ``--force``) removes it once no finalizer is left.
            if grace_period_seconds == 0 or not graceful:
                if not finalizers:
                    self.store.remove(info.plural, (ns, name))
                    return obj
                meta["deletionGracePeriodSeconds"] = 0
                meta["finalizers"] = finalizers
                self.store.put(info.plural, (ns, name), obj)
            return jcopy(obj)
        if not finalizers and not graceful:
            self.store.remove(info.plural, (ns, name))
            return obj
        meta["finalizers"] = finalizers
        if graceful:
            meta["deletionGracePeriodSeconds"] = grace
            meta["deletionTimestamp"] = self.clock.rfc3339(self.clock.now + grace)
        else:
            meta["deletionGracePeriodSeconds"] = 0
            meta["deletionTimestamp"] = self.clock.rfc3339()
        if not finalizers:
            meta.pop("finalizers")
        self.store.put(info.plural, (ns, name), obj)
        return jcopy(obj)

    def _delete_namespace(self, current: Obj) -> Obj:
        name = current["metadata"]["name"]
        if name in _IMMORTAL_NAMESPACES:
            raise errors.forbidden(
                f'namespaces "{name}" is forbidden: this namespace may not be deleted')
        obj = jcopy(current)
        if obj["metadata"].get("deletionTimestamp"):
            return obj
        obj["metadata"]["deletionTimestamp"] = self.clock.rfc3339()
        obj["metadata"]["deletionGracePeriodSeconds"] = 0
        obj.setdefault("status", {})["phase"] = "Terminating"
        self.store.put("namespaces", ("", name), obj)
        return jcopy(obj)

    def finalize_namespace(self, name: str) -> None:
        """The namespace controller's last step: drop ``spec.finalizers`` and remove it."""
        self.store.remove("namespaces", ("", name))

    # -- subresources ------------------------------------------------------------------------

    def bind(self, namespace: str, name: str, node_name: str) -> Obj:
        """``pods/binding``: set spec.nodeName and PodScheduled=True (what the scheduler writes)."""
        current = self.store.get("pods", (namespace, name))
        if current is None:
            raise errors.not_found("pods", name)
        if current["spec"].get("nodeName"):
            raise errors.StatusError(
                409, "Conflict", f'Operation cannot be fulfilled on pods/binding "{name}": pod '
                f'{name} is already assigned to node "{current["spec"]["nodeName"]}"')
        if current["metadata"].get("deletionTimestamp"):
            raise errors.StatusError(
                409, "Conflict", f'Operation cannot be fulfilled on pods/binding "{name}": pod '
                f'{name} is being deleted, cannot be assigned to a host')
        obj = {**current, "metadata": dict(current["metadata"]),
               "spec": {**current["spec"], "nodeName": node_name},
               "status": jcopy(current.get("status") or {})}
        set_condition(obj, "PodScheduled", "True", now=self.clock.rfc3339())
        self.store.put("pods", (namespace, name), obj)
        return obj  # the stored object: read it, never mutate it

    # -- events ------------------------------------------------------------------------------

    def record_event(self, obj: Obj, type_: str, reason: str, message: str, component: str,
                     host: str | None = None) -> None:
        """Record an Event about ``obj`` through client-go's correlator (``k8snb.api.events``):
        similar events are combined, repeats bump ``count``, a spamming source is dropped."""
        meta = obj["metadata"]
        ns = meta.get("namespace") or "default"
        involved = {
            "apiVersion": obj.get("apiVersion", "v1"),
            "kind": obj.get("kind", ""),
            "name": meta["name"],
            "namespace": meta.get("namespace", ""),
            "uid": meta.get("uid", ""),
            "resourceVersion": meta.get("resourceVersion", ""),
        }
        if not involved["namespace"]:
            del involved["namespace"]
        seen = self.correlator.correlate(
            (component, host or ""), involved, type_, reason, message, self.clock.now,
            lambda: f"{meta['name']}.{self.rng.getrandbits(64):016x}")
        if seen is None:
            return
        now = self.clock.rfc3339()
        message = sys.intern(seen.message)  # "Started container nginx" on thousands of pods
        ev = self.store.get("events", (ns, seen.name)) if seen.count > 1 else None
        if ev is not None:
            new = jcopy(ev)
            new["count"] = seen.count
            new["lastTimestamp"] = now
            new["message"] = message
            self.store.put("events", (ns, seen.name), new)
            self.event_ttl.written((ns, seen.name))
            return
        source = {"component": component}
        if host:
            source["host"] = host
        first = self.clock.rfc3339(seen.first)
        ev = {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": seen.name, "namespace": ns, "uid": self.new_uid(),
                         "creationTimestamp": now},
            "involvedObject": involved,
            "reason": reason,
            "message": message,
            "source": source,
            "firstTimestamp": first,
            "lastTimestamp": now,
            "count": seen.count,
            "type": type_,
            "eventTime": None,
            "reportingComponent": component,
            "reportingInstance": host or "",
        }
        key = (ns, seen.name)
        self.store.put("events", key, ev)
        self.event_ttl.written(key)
        self._index_event(key, ev)

    def _event_object(self, key: tuple[str, str], ev: Obj) -> tuple[str, str, str]:
        involved = ev.get("involvedObject") or {}
        return key[0], involved.get("kind", ""), involved.get("name", "")

    def _index_event(self, key: tuple[str, str], ev: Obj) -> None:
        self._events_by_object.setdefault(self._event_object(key, ev), []).append(key[1])

    def _expire_event(self, key: tuple[str, str], ev: Obj) -> None:
        """The event's lease ran out (``--event-ttl``): gone from the store and the index."""
        self.store.remove("events", key)
        obj_key = self._event_object(key, ev)
        names = self._events_by_object.get(obj_key)
        if names is not None and key[1] in names:
            names.remove(key[1])
            if not names:
                del self._events_by_object[obj_key]

    def events_for(self, obj: Obj) -> list[Obj]:
        """Events about ``obj``, oldest first."""
        meta = obj["metadata"]
        ns = meta.get("namespace") or "default"
        uid = meta.get("uid", "")
        names = self._events_by_object.get((ns, obj.get("kind", ""), meta["name"]), ())
        evs = [e for n in dict.fromkeys(names)
               if (e := self.store.get("events", (ns, n))) is not None
               and e["involvedObject"].get("name") == meta["name"]
               and e["involvedObject"].get("kind") == obj.get("kind")
               and e["involvedObject"].get("uid") in (None, "", uid)]
        evs.sort(key=lambda e: (e.get("firstTimestamp") or "", int(e["metadata"]
                                                                   ["resourceVersion"])))
        return [jcopy(e) for e in evs]


def set_condition(obj: Obj, type_: str, status: str, *, now: str, reason: str | None = None,
                  message: str | None = None) -> None:
    """Set a pod/node-style condition; lastTransitionTime changes only when status changes."""
    conds = obj.setdefault("status", {}).setdefault("conditions", [])
    for c in conds:
        if c["type"] == type_:
            if c.get("status") != status:
                c["lastTransitionTime"] = now
            c["status"] = status
            c["lastProbeTime"] = None
            for k, v in (("reason", reason), ("message", message)):
                if v is None:
                    c.pop(k, None)
                else:
                    c[k] = v
            return
    cond: Obj = {"type": type_, "status": status, "lastProbeTime": None,
                 "lastTransitionTime": now}
    if reason is not None:
        cond["reason"] = reason
    if message is not None:
        cond["message"] = message
    conds.append(cond)
