"""``%kubectl`` and ``%%kubectl``: kubectl as a notebook magic on the current cluster.

The current cluster is the one created last (or set with :func:`k8snb.use`). The cell magic
passes the cell body as stdin, so ``%%kubectl apply -f -`` followed by YAML applies it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from k8snb.cluster import Cluster

__all__ = ["current", "use", "register_magics", "load_ipython_extension"]

_state: dict[str, Any] = {"cluster": None, "registered": False}


def use(cluster: Cluster) -> Cluster:
    """Make ``cluster`` the one ``%kubectl`` talks to."""
    _state["cluster"] = cluster
    return cluster


def current() -> Cluster:
    cluster = _state["cluster"]
    if cluster is None:
        from k8snb.cluster import Cluster

        cluster = use(Cluster())
    return cluster


def _kubectl_magic(line: str, cell: str | None = None) -> Any:
    return current().kubectl(line, stdin=cell)


def register_magics(ipython: Any = None) -> bool:
    """Register the magics in the running IPython (once); False outside IPython."""
    if _state["registered"]:
        return True
    if ipython is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        ipython = get_ipython()
    if ipython is None:
        return False
    ipython.register_magic_function(_kubectl_magic, "line_cell", "kubectl")
    _state["registered"] = True
    return True


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext k8snb``."""
    register_magics(ipython)
