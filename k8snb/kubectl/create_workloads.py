"""``kubectl create deployment|job|cronjob``: workloads from a few flags, no manifest.

``kubectl create`` (:func:`k8snb.kubectl.apply.create`) calls these through its
``CREATE_SUBCOMMANDS`` table. Ports of kubectl ``pkg/cmd/create/create_deployment.go`` (and, for the other kinds, their
``create_*.go`` siblings).
"""

from __future__ import annotations

from typing import Any

from k8snb.api.names import random_string
from k8snb.kubectl.cli import CommandError, Context

__all__ = ["create_deployment", "create_job", "create_cronjob", "one_name"]

Obj = dict[str, Any]

def one_name(words: list[str]) -> str:
    """The one NAME after ``kubectl create <word>``, or kubectl's error."""
    if len(words) != 1:
        raise CommandError(f"exactly one NAME is required, got {len(words)}")
    return words[0]


def _name(ctx: Context) -> str:
    return one_name(ctx.args.positional[1:])


def container_name(image: str, ctx: Context) -> str:
    """A container name from an image (``nginx:1.27`` -> ``nginx``; ``my_app`` gets dashes and
    a random suffix, ``my-app-x2k4q``), as ``buildPodSpec``/``sanitizeAndUniquify`` do."""
    name = image.split("/")[-1]
    name = name.split(":")[0]
    name = name.split("@")[0]
    if "_" in name or "." in name:
        name = name.replace("_", "-").replace(".", "-")
        name = f"{name}-{random_string(5, ctx.cluster.rng)}"
    return name


def create_deployment(ctx: Context) -> None:
    """``kubectl create deployment NAME --image=IMAGE [--replicas=N] [--port=P] [-- CMD...]``.

    Labels and selector are ``app: NAME``; one container per image, named after the image.
    """
    from k8snb.kubectl.apply import _create_one

    name = _name(ctx)
    images = ctx.args.list("image")
    if not images:
        raise CommandError('required flag(s) "image" not set')
    replicas_text = ctx.args.str("replicas") or "1"
    try:
        replicas = int(replicas_text)
    except ValueError:
        raise CommandError(f'invalid argument "{replicas_text}" for "-r, --replicas" flag: '
                           f'strconv.ParseInt: parsing "{replicas_text}": invalid syntax'
                           ) from None
    port_text = ctx.args.str("port") or "-1"
    try:
        port = int(port_text)
    except ValueError:
        raise CommandError(f'invalid argument "{port_text}" for "--port" flag: '
                           f'strconv.ParseInt: parsing "{port_text}": invalid syntax') from None
    labels = {"app": name}
    containers: list[Obj] = []
    for image in images:
        c: Obj = {"name": container_name(image, ctx), "image": image, "resources": {}}
        if ctx.args.rest:
            c["command"] = list(ctx.args.rest)
        containers.append(c)
    if port >= 0 and containers:
        containers[0]["ports"] = [{"containerPort": port}]
    deploy = {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "labels": dict(labels)},
        "spec": {"replicas": replicas, "selector": {"matchLabels": dict(labels)},
                 "strategy": {},
                 "template": {"metadata": {"labels": dict(labels)},
                              "spec": {"containers": containers}}},
        "status": {},
    }
    _create_one(ctx, deploy, ctx.namespace, "")


def create_job(ctx: Context) -> None:
    """``kubectl create job NAME --image=IMAGE [-- CMD...]`` or ``--from=cronjob/NAME``.

    A port of kubectl ``pkg/cmd/create/create_job.go``: one container named NAME,
    ``restartPolicy: Never``. ``--from`` copies the CronJob's jobTemplate, adds the annotation
    ``cronjob.kubernetes.io/instantiate: manual`` and an ownerReference to the CronJob
    (``controller: true`` without blockOwnerDeletion).
    """
    from k8snb.kubectl.apply import _create_one

    name = _name(ctx)
    image, source = ctx.args.str("image") or "", ctx.args.str("from") or ""
    command = list(ctx.args.rest)
    if not image and not source:
        raise CommandError("either --image or --from must be specified")
    if image and source:
        raise CommandError("--image or --from must be specified")
    if command and source:
        raise CommandError("cannot specify --from and command")
    if not source:
        container: Obj = {"name": name, "image": image, "resources": {}}
        if command:
            container["command"] = command
        job: Obj = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name},
                    "spec": {"template": {"metadata": {}, "spec": {
                        "containers": [container], "restartPolicy": "Never"}}},
                    "status": {}}
        _create_one(ctx, job, ctx.namespace, "")
        return
    kind, _, cj_name = source.partition("/")
    if not cj_name:
        raise CommandError(f"from must be of the form <resource>/<name>, got {source!r}"
                           .replace("'", '"'))
    info = ctx.api.resolve(kind)
    if info.kind != "CronJob":
        raise CommandError(f"unknown object type *v1.{info.kind}")
    cj = ctx.api.get(info, cj_name, ctx.namespace)
    template = cj["spec"].get("jobTemplate") or {}
    tmeta = template.get("metadata") or {}
    annotations = {"cronjob.kubernetes.io/instantiate": "manual",
                   **(tmeta.get("annotations") or {})}
    meta: Obj = {"name": name, "annotations": annotations,
                 "ownerReferences": [{"apiVersion": "batch/v1", "kind": "CronJob",
                                      "name": cj_name, "uid": cj["metadata"]["uid"],
                                      "controller": True}]}
    if tmeta.get("labels"):
        meta["labels"] = dict(tmeta["labels"])
    job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": meta,
           "spec": dict(template.get("spec") or {}), "status": {}}
    _create_one(ctx, job, ctx.namespace, "")


def create_cronjob(ctx: Context) -> None:
    """``kubectl create cronjob NAME --image=IMAGE --schedule=SPEC [--restart=P] [-- CMD...]``.

    A port of kubectl ``pkg/cmd/create/create_cronjob.go``: one container named NAME,
    ``restartPolicy`` from ``--restart`` (default ``OnFailure``), the jobTemplate named NAME.
    """
    from k8snb.kubectl.apply import _create_one

    name = _name(ctx)
    image, schedule = ctx.args.str("image") or "", ctx.args.str("schedule") or ""
    if not image:
        raise CommandError("--image must be specified")
    if not schedule:
        raise CommandError("--schedule must be specified")
    container: Obj = {"name": name, "image": image, "resources": {}}
    if ctx.args.rest:
        container["command"] = list(ctx.args.rest)
    cj = {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": name},
          "spec": {"schedule": schedule, "jobTemplate": {
              "metadata": {"name": name},
              "spec": {"template": {"metadata": {}, "spec": {
                  "containers": [container],
                  "restartPolicy": ctx.args.str("restart") or "OnFailure"}}}}},
          "status": {}}
    _create_one(ctx, cj, ctx.namespace, "")
