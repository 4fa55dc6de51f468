"""``kubectl rollout status|history|undo|pause|resume|restart`` and ``kubectl set image``.

Ports of kubectl ``pkg/cmd/rollout/*.go``, ``pkg/cmd/set/set_image.go`` and the
``pkg/polymorphichelpers`` they call (``rollout_status.go``, ``history.go``, ``rollback.go``,
``objectpauser.go``, ``objectresumer.go``, ``objectrestarter.go``).

``kubectl rollout status`` blocks until the rollout finishes; here it *runs simulated time*
(timer by timer, as ``Cluster.advance`` does) and prints a line each time the watched object
changes, exactly as the real command prints one per watch event, so the same line may repeat.
With ``--timeout`` it gives up after that much simulated time; without one the real command
waits forever, the model gives up after an hour (:data:`STATUS_LIMIT`).

``undo`` works as modern kubectl does, on the client: it finds the ReplicaSet of the revision
and patches its pod template (and its annotations, such as ``kubernetes.io/change-cause``) back
into the Deployment; the controller then rolls out "again", giving that ReplicaSet a new, highest
revision number.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from k8snb.api.errors import StatusError
from k8snb.api.registry import ResourceInfo
from k8snb.controllers.deployment import util
from k8snb.kubectl.cli import CommandError, Context
from k8snb.kubectl.resources import targets
from k8snb.util.jsoncopy import jcopy

__all__ = ["rollout", "set_", "deployment_status", "STATUS_LIMIT"]

Obj = dict[str, Any]

#: Simulated seconds ``rollout status`` waits when no ``--timeout`` is given.
STATUS_LIMIT = 3600.0
ROLLBACK_SUCCESS = "rolled back"
ROLLBACK_SKIPPED = "skipped rollback"
_SUBCOMMANDS = ("history", "pause", "restart", "resume", "status", "undo")
_HELP = """Manage the rollout of one or many resources.

 Valid resource types include:

  *  deployments
  *  daemonsets
  *  statefulsets

Available Commands:
  history       View rollout history
  pause         Mark the provided resource as paused
  restart       Restart a resource
  resume        Resume a paused resource
  status        Show the status of the rollout
  undo          Undo a previous rollout

Usage:
  kubectl rollout SUBCOMMAND [options]
"""


def rollout(ctx: Context) -> None:
    """``kubectl rollout <subcommand> TYPE/NAME``."""
    words = ctx.args.positional
    if not words:
        ctx.print(_HELP.rstrip("\n"))
        return
    sub, rest = words[0], words[1:]
    if sub not in _SUBCOMMANDS:
        raise CommandError(f'unknown command "{sub}" for "kubectl rollout"')
    if not rest:
        raise CommandError("required resource not specified")
    {"status": _status, "history": _history, "undo": _undo, "pause": _pause,
     "resume": _resume, "restart": _restart}[sub](ctx, rest)


def _objects(ctx: Context, words: list[str]) -> list[tuple[ResourceInfo, Obj]]:
    """The named objects (or every object of a type given without names)."""
    out: list[tuple[ResourceInfo, Obj]] = []
    for info, names in targets(words):
        if names:
            for name in names:
                try:
                    out.append((info, ctx.api.get(info, name, ctx.namespace)))
                except StatusError as e:
                    ctx.fail(e)
        else:
            out += [(info, o) for o in ctx.api.list(info, ctx.namespace)]
    return out


# -- status ------------------------------------------------------------------------------------


def deployment_status(d: Obj, revision: int = 0) -> tuple[str, bool]:
    """What ``kubectl rollout status deployment/<name>`` prints now, and whether it is done.

    ``DeploymentStatusViewer.Status``. Raises ValueError when the rollout exceeded its
    progress deadline or ``revision`` is not the Deployment's revision.
    """
    name = d["metadata"]["name"]
    if revision > 0:
        current = util.revision(d)
        if current != revision:
            raise ValueError(f"desired revision ({revision}) is different from the running "
                             f"revision ({current})")
    status = d.get("status") or {}
    if int(d["metadata"].get("generation") or 0) <= int(status.get("observedGeneration") or 0):
        cond = util.get_condition(status, util.PROGRESSING)
        if cond is not None and cond.get("reason") == util.REASON_TIMED_OUT:
            raise ValueError(f'deployment "{name}" exceeded its progress deadline')
        replicas = d["spec"].get("replicas")
        updated = int(status.get("updatedReplicas") or 0)
        total = int(status.get("replicas") or 0)
        available = int(status.get("availableReplicas") or 0)
        waiting = f'Waiting for deployment "{name}" rollout to finish: '
        if replicas is not None and updated < replicas:
            return (f"{waiting}{updated} out of {replicas} new replicas have been updated...",
                    False)
        if total > updated:
            return f"{waiting}{total - updated} old replicas are pending termination...", False
        if available < updated:
            return f"{waiting}{available} of {updated} updated replicas are available...", False
        return f'deployment "{name}" successfully rolled out', True
    return "Waiting for deployment spec update to be observed...", False


def _status_viewer(kind: str) -> Callable[[Obj, int], tuple[str, bool]]:
    if kind == "Deployment":
        return deployment_status
    if kind == "StatefulSet":
        from k8snb.controllers.statefulset import statefulset_rollout_status

        return statefulset_rollout_status
    if kind == "DaemonSet":
        from k8snb.controllers.daemonset import daemonset_rollout_status

        return lambda obj, revision: daemonset_rollout_status(obj)
    raise CommandError(f"no status viewer has been implemented for {kind}")


_DURATION_RE = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")
_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: str) -> float:
    """Go's ``time.ParseDuration`` for what a learner types: ``30s``, ``5m``, ``1h30m``, ``0``."""
    if text in ("0", ""):
        return 0.0
    pos, total = 0, 0.0
    for m in _DURATION_RE.finditer(text):
        if m.start() != pos:
            break
        total += float(m.group(1)) * _UNITS[m.group(2)]
        pos = m.end()
    if pos != len(text):
        raise CommandError(f'invalid argument "{text}" for "--timeout" flag: time: invalid '
                           f'duration "{text}"')
    return total


def _status(ctx: Context, words: list[str]) -> None:
    objs = _objects(ctx, words)
    if ctx.code:
        return
    if len(objs) != 1:
        raise CommandError("rollout status is only supported on individual resources and "
                           "resource collections are not supported yet")
    info, obj = objs[0]
    viewer = _status_viewer(info.kind)
    revision = int(ctx.args.str("revision") or 0)
    if revision < 0:
        raise CommandError("revision must be a positive integer")
    timeout = parse_duration(ctx.args.str("timeout") or "0")
    watch = ctx.args.get("watch", True)
    cluster = ctx.cluster
    ns = ctx.namespace if info.namespaced else ""
    name = obj["metadata"]["name"]
    cluster.run_pending()
    obj = ctx.api.get(info, name, ns or None)
    state: dict[str, Any] = {"done": False, "error": None}

    def show(o: Obj) -> None:
        try:
            msg, done = viewer(o, revision)
        except ValueError as e:
            state["error"] = str(e)
            return
        ctx.out.write(msg.rstrip("\n") + "\n")
        state["done"] = done

    show(obj)
    if state["error"] is None and not state["done"] and watch:
        def on_event(kind: str, o: Obj) -> None:
            if state["done"] or state["error"] is not None:
                return
            meta = o["metadata"]
            if meta["name"] != name or meta.get("namespace", "") != ns:
                return
            if kind == "DELETED":
                state["error"] = "object has been deleted"
                return
            show(o)

        cancel = ctx.api.watch(info, on_event)
        try:
            finished = cluster.run_until(
                lambda: state["done"] or state["error"] is not None, timeout or STATUS_LIMIT)
            if not finished:
                state["error"] = "timed out waiting for the condition"
        finally:
            cancel()
    if state["error"] is not None:
        ctx.error(f"error: {state['error']}")


# -- history -----------------------------------------------------------------------------------


def _print_template(template: Obj | None) -> str:
    from k8snb.kubectl.describe import PrefixWriter, _describe_pod_template

    w = PrefixWriter()
    _describe_pod_template(template, w)
    return w.getvalue()


def _tabbed(rows: list[tuple[str, str]]) -> str:
    from k8snb.kubectl.printers import TabWriter

    tw = TabWriter(minwidth=0, tabwidth=8, padding=2, padchar=" ")
    tw.write("REVISION\tCHANGE-CAUSE\n")
    for rev, cause in rows:
        tw.write(f"{rev}\t{cause}\n")
    return tw.getvalue()


def _history_info(ctx: Context, info: ResourceInfo, obj: Obj) -> dict[int, Obj]:
    """revision -> pod template (with the change-cause annotation when there is one)."""
    history: dict[int, Obj] = {}
    if info.kind == "Deployment":
        new, _, old = util.replica_sets_of(ctx.api, obj)
        for rs in [*old, *([new] if new else [])]:
            rev = util.revision(rs)
            if not (rs["metadata"].get("annotations") or {}).get(util.REVISION_ANNOTATION):
                continue
            template = jcopy(rs["spec"].get("template") or {})
            cause = (rs["metadata"].get("annotations") or {}).get(util.CHANGE_CAUSE_ANNOTATION)
            if cause:
                template.setdefault("metadata", {}).setdefault("annotations", {})[
                    util.CHANGE_CAUSE_ANNOTATION] = cause
            history[rev] = template
        return history
    if info.kind in ("StatefulSet", "DaemonSet"):
        from k8snb.controllers.history import template_from_revision

        uid = obj["metadata"]["uid"]
        for cr in ctx.api.list("controllerrevisions", obj["metadata"].get("namespace")):
            ref = util.controller_of(cr)
            if ref is None or ref.get("uid") != uid:
                continue
            template = template_from_revision(cr)
            cause = (cr["metadata"].get("annotations") or {}).get(util.CHANGE_CAUSE_ANNOTATION)
            if cause:
                template.setdefault("metadata", {}).setdefault("annotations", {})[
                    util.CHANGE_CAUSE_ANNOTATION] = cause
            history[int(cr.get("revision") or 0)] = template
        return history
    raise CommandError(f"no history viewer has been implemented for {info.kind}")


def _history(ctx: Context, words: list[str]) -> None:
    revision = int(ctx.args.str("revision") or 0)
    if revision < 0:
        raise CommandError("revision must be a positive integer")
    for info, obj in _objects(ctx, words):
        history = _history_info(ctx, info, obj)
        label = f"{info.type_name}/{obj['metadata']['name']}"
        if not history:
            text = "No rollout history found."
        elif revision > 0:
            if revision not in history:
                raise CommandError("unable to find the specified revision")
            text = _print_template(history[revision])
        else:
            text = _tabbed([(str(r), ((history[r].get("metadata") or {}).get("annotations")
                                      or {}).get(util.CHANGE_CAUSE_ANNOTATION) or "<none>")
                            for r in sorted(history)])
        header = f"{label} with revision #{revision}" if revision > 0 else f"{label} "
        ctx.print(header)
        ctx.print(text)


# -- undo --------------------------------------------------------------------------------------


def _deployment_revision(ctx: Context, d: Obj, to_revision: int) -> Obj:
    """The ReplicaSet to roll back to: ``to_revision``, or (0) the previous revision."""
    new, _, old = util.replica_sets_of(ctx.api, d)
    latest: Obj | None = None
    latest_rev = previous_rev = -1
    previous: Obj | None = None
    for rs in [*old, *([new] if new else [])]:
        if not (rs["metadata"].get("annotations") or {}).get(util.REVISION_ANNOTATION):
            continue
        v = util.revision(rs)
        if to_revision == 0:
            if latest_rev < v:
                previous_rev, previous = latest_rev, latest
                latest_rev, latest = v, rs
            elif previous_rev < v:
                previous_rev, previous = v, rs
        elif v == to_revision:
            return rs
    if to_revision > 0:
        raise CommandError(f"unable to find specified revision {to_revision} in history")
    if previous is None:
        raise CommandError(f'no rollout history found for deployment "{d["metadata"]["name"]}"')
    return previous


def rollback_deployment(ctx: Context, d: Obj, to_revision: int) -> str:
    """``DeploymentRollbacker.Rollback``: patch the old template back; returns the outcome."""
    if to_revision < 0:
        raise CommandError(f"unable to find specified revision {to_revision} in history")
    rs = _deployment_revision(ctx, d, to_revision)
    name = d["metadata"]["name"]
    if d["spec"].get("paused"):
        raise CommandError("you cannot rollback a paused deployment; resume it first with "
                           f"'kubectl rollout resume deployment/{name}' and try again")
    if util.equal_ignore_hash(rs["spec"].get("template"), d["spec"].get("template")):
        return f"{ROLLBACK_SKIPPED} (current template already matches revision {to_revision})"
    template = jcopy(rs["spec"]["template"])
    labels = (template.get("metadata") or {}).get("labels")
    if labels is not None:
        labels.pop(util.DEFAULT_UNIQUE_LABEL_KEY, None)
    annotations = {k: v for k, v in (d["metadata"].get("annotations") or {}).items()
                   if k in util.ANNOTATIONS_TO_SKIP}
    for k, v in (rs["metadata"].get("annotations") or {}).items():
        if k not in util.ANNOTATIONS_TO_SKIP:
            annotations[k] = v
    patch = [{"op": "replace", "path": "/spec/template", "value": template},
             {"op": "replace", "path": "/metadata/annotations", "value": annotations}]
    try:
        ctx.api.patch("deployments", name, patch, d["metadata"]["namespace"], "json")
    except StatusError as e:
        raise CommandError(f"failed restoring revision {to_revision}: {e.message}") from None
    return ROLLBACK_SUCCESS


def _undo(ctx: Context, words: list[str]) -> None:
    to_revision = int(ctx.args.str("to-revision") or 0)
    for info, obj in _objects(ctx, words):
        if info.kind != "Deployment":
            raise CommandError(f"no rollbacker has been implemented for {info.kind}")
        result = rollback_deployment(ctx, obj, to_revision)
        ctx.print(f"{info.type_name}/{obj['metadata']['name']} {result}")


# -- pause, resume, restart ----------------------------------------------------------------------


def _patch_each(ctx: Context, words: list[str], change: Callable[[ResourceInfo, Obj], str],
                verb: str, unchanged: str | None) -> None:
    """Apply ``change`` (which edits a copy, or raises ValueError) to every object and
    write it back; prints ``<type>/<name> <verb>``."""
    errors: list[str] = []
    for info, obj in _objects(ctx, words):
        new = jcopy(obj)
        name = obj["metadata"]["name"]
        try:
            change(info, new)
        except ValueError as e:
            errors.append(f'error: {info.qualified} "{name}" {e}')
            continue
        if new == obj:
            if unchanged is None:
                errors.append(f"failed to create patch for {name}: if restart has already been "
                              "triggered within the past second, please wait before attempting "
                              "to trigger another")
            else:
                ctx.print(f"{info.type_name}/{name} {unchanged}")
            continue
        try:
            ctx.api.update(new)
        except StatusError as e:
            ctx.fail(e)
            continue
        ctx.print(f"{info.type_name}/{name} {verb}")
    for e in errors:
        ctx.error(e if e.startswith("error: ") else f"error: {e}")


def _pause(ctx: Context, words: list[str]) -> None:
    def change(info: ResourceInfo, obj: Obj) -> str:
        if info.kind != "Deployment":
            raise ValueError("pausing is not supported")
        if obj["spec"].get("paused"):
            raise ValueError("is already paused")
        obj["spec"]["paused"] = True
        return ""

    _patch_each(ctx, words, change, "paused", "already paused")


def _resume(ctx: Context, words: list[str]) -> None:
    def change(info: ResourceInfo, obj: Obj) -> str:
        if info.kind != "Deployment":
            raise ValueError("resuming is not supported")
        if not obj["spec"].get("paused"):
            raise ValueError("is not paused")
        obj["spec"].pop("paused", None)
        return ""

    _patch_each(ctx, words, change, "resumed", "already resumed")


def _restart(ctx: Context, words: list[str]) -> None:
    now = ctx.cluster.clock.rfc3339()

    def change(info: ResourceInfo, obj: Obj) -> str:
        if info.kind not in ("Deployment", "DaemonSet", "StatefulSet"):
            raise ValueError("restarting is not supported")
        if info.kind == "Deployment" and obj["spec"].get("paused"):
            raise ValueError("can't restart paused deployment (run rollout resume first)")
        meta = obj["spec"].setdefault("template", {}).setdefault("metadata", {})
        meta.setdefault("annotations", {})[util.RESTARTED_AT_ANNOTATION] = now
        return ""

    _patch_each(ctx, words, change, "restarted", None)


# -- set image -----------------------------------------------------------------------------------


def _pod_spec(obj: Obj) -> Obj | None:
    """Where an object keeps its pod spec (``UpdatePodSpecForObject``)."""
    kind = obj.get("kind")
    if kind == "Pod":
        return obj.get("spec")
    if kind == "CronJob":
        return (((obj.get("spec") or {}).get("jobTemplate") or {}).get("spec") or {}).get(
            "template", {}).get("spec")
    template = (obj.get("spec") or {}).get("template")
    return template.get("spec") if isinstance(template, dict) else None


def set_(ctx: Context) -> None:
    """``kubectl set image TYPE/NAME CONTAINER=IMAGE ...`` (``*`` means every container)."""
    words = ctx.args.positional
    if not words:
        raise CommandError("you must specify a subcommand: image")
    if words[0] != "image":
        raise CommandError(f'unknown command "{words[0]}" for "kubectl set"')
    resources = [w for w in words[1:] if "=" not in w]
    images: dict[str, str] = {}
    for w in words[1:]:
        if "=" in w:
            cname, _, image = w.partition("=")
            images[cname] = image
    if not resources:
        raise CommandError("You must provide one or more resources by argument or filename.")
    if not images:
        raise CommandError("at least one image update is required")
    if len(images) > 1 and "*" in images:
        raise CommandError("all containers are already specified by *, but saw more than one "
                           "container_name=container_image pairs")
    errors: list[str] = []
    for info, obj in _objects(ctx, resources):
        new = jcopy(obj)
        spec = _pod_spec(new)
        name = obj["metadata"]["name"]
        if spec is None:
            errors.append(f"error: {info.type_name}/{name} does not have a pod template")
            continue
        for cname, image in images.items():
            found = False
            for group in ("initContainers", "containers"):
                for c in spec.get(group) or ():
                    if cname in ("*", c.get("name")):
                        c["image"] = image
                        found = True
            if not found:
                errors.append(f'error: unable to find container named "{cname}"')
        if new == obj:
            continue  # nothing to change: kubectl sends no patch and prints nothing
        try:
            ctx.api.update(new)
        except StatusError as e:
            errors.append(f"failed to patch image update to pod template: {e.kubectl_message()}")
            continue
        ctx.print(f"{info.type_name}/{name} image updated")
    for e in errors:
        ctx.error(e if e.startswith("error: ") else f"error: {e}")
