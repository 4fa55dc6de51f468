"""Informer indexes kept with the fast path for unchanged buckets match remove-then-add."""

from __future__ import annotations

import random

from k8snb.controllers.informer import Informer


class _Info:
    plural = "pods"


class _Store:
    def items(self, plural: str):  # noqa: ANN201
        return iter(())

    def watch(self, plural: str, fn) -> None:  # noqa: ANN001
        pass


class _API:
    store = _Store()

    def resolve(self, resource: str) -> _Info:
        return _Info()


def _reference(indexes: dict, fn, key, old, new) -> None:  # noqa: ANN001
    """The plain algorithm: take the object out of its old buckets, put it in the new ones."""
    if old is not None:
        for value in fn(old):
            bucket = indexes.get(value)
            if bucket is not None:
                bucket.pop(key, None)
                if not bucket:
                    del indexes[value]
    if new is not None:
        for value in fn(new):
            indexes.setdefault(value, {})[key] = new


def test_index_buckets_keep_remove_then_add_order() -> None:
    rng = random.Random(5)
    informer = Informer(_API(), "pods")  # type: ignore[arg-type]

    def fn(o: dict) -> list[str]:
        return list(o["spec"]["buckets"])

    informer.add_index("b", fn)
    reference: dict = {}
    live: dict = {}
    for step in range(3000):
        key = ("default", f"p{rng.randint(0, 30)}")
        old = live.get(key)
        if old is not None and rng.random() < 0.15:
            informer._on_event("DELETED", old, old)
            _reference(reference, fn, key, old, None)
            del live[key]
            continue
        if old is not None and rng.random() < 0.7:
            buckets = old["spec"]["buckets"]  # a status update: same buckets
        else:
            buckets = rng.sample("abcd", rng.randint(0, 2))
        new = {"metadata": {"namespace": "default", "name": key[1]},
               "spec": {"buckets": buckets}, "status": {"step": step}}
        informer._on_event("MODIFIED" if old is not None else "ADDED", new, old)
        _reference(reference, fn, key, old, new)
        live[key] = new
        for value in "abcd":
            got = [o["metadata"]["name"] for o in informer.by_index("b", value)]
            want = [o["metadata"]["name"] for o in reference.get(value, {}).values()]
            assert got == want, (step, value)
