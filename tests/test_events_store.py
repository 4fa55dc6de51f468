"""Events are kept packed in the store (five per pod at scale) and read back whole; repeats
are counted like client-go's correlator does, which remembers the last 4,096 events."""

from __future__ import annotations

from k8snb import Cluster
from k8snb.api.server import EVENT_CORRELATOR_ENTRIES
from k8snb.store.etcd import PackedBucket, Store


def test_packed_bucket_round_trips_nested_objects() -> None:
    bucket = PackedBucket()
    obj = {"metadata": {"name": "a", "labels": {"x": "1"}}, "count": 2, "eventTime": None,
           "empty": {}, "list": [1, {"k": "v"}], "source": {"component": "kubelet"}}
    bucket[("ns", "a")] = obj
    back = bucket[("ns", "a")]
    assert back == obj and list(back) == list(obj)
    assert back is not obj and back["metadata"] is not obj["metadata"]
    bucket[("ns", "b")] = {**obj, "count": 3}
    assert len(bucket._shapes) == 4  # outer, metadata, labels and source shapes, once each
    assert sorted(bucket) == [("ns", "a"), ("ns", "b")] and bucket[("ns", "b")]["count"] == 3
    del bucket[("ns", "a")]
    assert list(bucket.values()) == [{**obj, "count": 3}]


def test_store_stamps_and_watches_packed_resources() -> None:
    store = Store(packed=("events",))
    seen = []
    store.watch("events", lambda kind, obj, old: seen.append((kind, old and old["count"])))
    store.put("events", ("d", "e"), {"metadata": {"name": "e"}, "count": 1})
    store.put("events", ("d", "e"), {"metadata": {"name": "e"}, "count": 2})
    assert seen == [("ADDED", None), ("MODIFIED", 1)]
    assert store.get("events", ("d", "e"))["metadata"]["resourceVersion"] == "3"


def test_kubectl_shows_events_and_counts_repeats() -> None:
    c = Cluster(workers=1, seed=0)
    c.kubectl("run web --image=nginx")
    c.settle()
    pod = c.api.get("pods", "web", "default")
    for _ in range(3):
        c.api.record_event(pod, "Warning", "BackOff", "Back-off restarting failed container",
                           "kubelet", "worker1")
    out = c.kubectl("get events --field-selector involvedObject.name=web").stdout
    assert "Scheduled" in out and "Started" in out
    assert "BackOff" in out and "(x3 over" not in out  # the x3 is in describe's column
    described = c.kubectl("describe pod web").stdout
    assert "Back-off restarting failed container" in described
    assert "x3 over" in described


def test_correlator_forgets_the_oldest_event_after_4096_others() -> None:
    c = Cluster(workers=0, seed=0)
    ns = c.api.get("namespaces", "default")
    c.api.record_event(ns, "Normal", "First", "the first", "test")
    for i in range(EVENT_CORRELATOR_ENTRIES):
        c.api.record_event(ns, "Normal", "Other", f"other {i}", "test")
    c.api.record_event(ns, "Normal", "First", "the first", "test")
    firsts = [e for e in c.api.list("events", "default") if e["reason"] == "First"]
    assert [e["count"] for e in firsts] == [1, 1]  # not recognised as a repeat any more
    c.api.record_event(ns, "Normal", "First", "the first", "test")
    firsts = [e for e in c.api.list("events", "default") if e["reason"] == "First"]
    assert sorted(e["count"] for e in firsts) == [1, 2]
