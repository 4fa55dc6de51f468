"""Events are kept packed in the store (five per pod at scale) and read back whole; repeats
are counted like client-go's correlator does, which remembers the last 4,096 events."""

from __future__ import annotations

from k8snb import Cluster
from k8snb.api.events import COMBINED_PREFIX, EVENT_TTL_SECONDS, SPAM_BURST
from k8snb.api.events import LRU_ENTRIES as EVENT_CORRELATOR_ENTRIES
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
    assert len(bucket._layouts) == 4  # outer, metadata, labels and source layouts, once each
    assert len(bucket._packed[("ns", "b")]) == 2  # its shape and the one leaf that differs
    assert sorted(bucket) == [("ns", "a"), ("ns", "b")] and bucket[("ns", "b")]["count"] == 3
    del bucket[("ns", "a")]
    assert list(bucket.values()) == [{**obj, "count": 3}]


def test_store_stamps_and_watches_packed_resources() -> None:
    store = Store(packed={"events": None})
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


def _obj(name: str) -> dict:
    return {"apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": name, "namespace": "default", "uid": f"uid-{name}"}}


def _events(c: Cluster, name: str) -> list[dict]:
    return [e for e in c.api.list("events", "default") if e["involvedObject"]["name"] == name]


def test_similar_events_are_combined_from_the_tenth_and_a_burst_is_capped_at_25() -> None:
    c = Cluster(workers=0, seed=0)
    rs = _obj("web-1")
    for i in range(30):
        c.api.record_event(rs, "Normal", "SuccessfulCreate", f"Created pod: web-1-{i:02d}",
                           "replicaset-controller")
    evs = _events(c, "web-1")
    plain = [e for e in evs if not e["message"].startswith(COMBINED_PREFIX)]
    combined = [e for e in evs if e["message"].startswith(COMBINED_PREFIX)]
    assert sorted(e["message"] for e in plain) == [f"Created pod: web-1-{i:02d}" for i in range(9)]
    assert len(combined) == 1
    # events 10 to 25 pass the spam filter (burst 25), 26 to 30 are dropped
    assert combined[0]["count"] == 16
    assert combined[0]["message"] == COMBINED_PREFIX + "Created pod: web-1-24"
    c.advance(300)  # the bucket refills one token every five minutes
    c.api.record_event(rs, "Normal", "SuccessfulCreate", "Created pod: web-1-99",
                       "replicaset-controller")
    combined = [e for e in _events(c, "web-1") if e["message"].startswith(COMBINED_PREFIX)]
    assert combined[0]["count"] == 22  # the dropped ones were counted all the same
    assert combined[0]["message"].endswith("web-1-99")


def test_a_repeated_event_bumps_its_count_until_the_spam_filter_stops_it() -> None:
    c = Cluster(workers=0, seed=0)
    rs = _obj("web-2")
    for _ in range(30):
        c.api.record_event(rs, "Warning", "FailedCreate", "Error creating: quota", "rs")
    (ev,) = _events(c, "web-2")
    assert ev["count"] == SPAM_BURST and ev["firstTimestamp"] <= ev["lastTimestamp"]
    other_source = _events(c, "web-2")
    c.api.record_event(rs, "Warning", "FailedCreate", "Error creating: quota", "other", "n1")
    assert len(_events(c, "web-2")) == len(other_source) + 1  # another source, another bucket


def test_correlator_forgets_the_oldest_event_after_4096_others() -> None:
    c = Cluster(workers=0, seed=0)
    c.api.record_event(_obj("first"), "Normal", "Seen", "seen", "test")
    c.api.record_event(_obj("first"), "Normal", "Seen", "seen", "test")
    assert [e["count"] for e in _events(c, "first")] == [2]
    for i in range(EVENT_CORRELATOR_ENTRIES):
        c.api.record_event(_obj(f"o{i}"), "Normal", "Other", "other", "test")
    c.api.record_event(_obj("first"), "Normal", "Seen", "seen", "test")
    assert sorted(e["count"] for e in _events(c, "first")) == [1, 2]  # a new event


def test_events_disappear_an_hour_after_they_last_happened() -> None:
    c = Cluster(workers=1, seed=0)
    c.kubectl("run web --image=nginx")
    c.settle()
    assert "Started" in c.kubectl("get events").stdout
    c.advance(EVENT_TTL_SECONDS - 120)
    pod = c.api.get("pods", "web")
    c.api.record_event(pod, "Warning", "Unhealthy", "Readiness probe failed", "kubelet",
                       "worker1")
    c.advance(60)
    c.api.record_event(pod, "Warning", "Unhealthy", "Readiness probe failed", "kubelet",
                       "worker1")  # a repeat renews the lease
    c.advance(120)
    out = c.kubectl("get events").stdout
    assert "Started" not in out and "Scheduled" not in out
    assert "Unhealthy" in out
    described = c.kubectl("describe pod web").stdout
    assert "Readiness probe failed" in described and "Started container" not in described
    c.advance(EVENT_TTL_SECONDS - 120 - 1)  # a second before the renewed lease runs out
    assert "Unhealthy" in c.kubectl("get events").stdout
    c.advance(2)
    gone = c.kubectl("get events")
    assert gone.stdout == "" and "No resources found in default namespace." in gone.stderr
    assert c.api.events_for(pod) == []


def test_an_event_created_through_the_api_lives_an_hour_too() -> None:
    c = Cluster(workers=0, seed=0)
    ev = {"apiVersion": "v1", "kind": "Event", "metadata": {"name": "hello"},
          "involvedObject": {"kind": "Namespace", "name": "default"},
          "reason": "Hello", "message": "made by hand", "type": "Normal"}
    c.api.create(ev)
    c.advance(EVENT_TTL_SECONDS - 1)
    assert c.api.get("events", "hello")["message"] == "made by hand"
    c.advance(1)
    assert "NotFound" in c.kubectl("get event hello").stderr


def test_an_event_written_through_the_api_shows_in_describe_of_its_object() -> None:
    c = Cluster(workers=1, seed=0)
    c.kubectl("run web --image=nginx")
    c.settle()
    manual = ("apiVersion: v1\nkind: Event\nmetadata: {name: web.note}\n"
              "involvedObject: {kind: Pod, name: web, namespace: default}\n"
              "reason: Noted\nmessage: checked by hand\ntype: Normal\n")
    assert c.kubectl("apply -f -", stdin=manual).stdout == "event/web.note created\n"
    assert "checked by hand" in c.kubectl("describe pod web").stdout
    moved = manual.replace("name: web,", "name: other,")
    c.kubectl("apply -f -", stdin=moved)
    assert "checked by hand" not in c.kubectl("describe pod web").stdout
    c.kubectl("run other --image=nginx")
    c.settle()
    assert "checked by hand" in c.kubectl("describe pod other").stdout
