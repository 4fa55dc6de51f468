"""``kubectl events``: a namespace's events in the order they happened, as kubectl prints them."""

from __future__ import annotations

import yaml

from k8snb import Cluster


def test_events_tell_a_pods_story_in_time_order() -> None:
    c = Cluster(workers=1, seed=0)
    c.kubectl("run web --image=nginx")
    c.settle()
    c.advance(30)
    out = c.kubectl("events").stdout.splitlines()
    assert out[0].split() == ["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    reasons = [line.split()[2] for line in out[1:]]
    assert reasons == ["Scheduled", "Pulling", "Pulled", "Created", "Started"]
    assert all(" Pod/web " in line for line in out[1:])
    assert out[1].startswith("33s ") and out[-1].startswith("30s ")


def test_events_filters_and_output_formats() -> None:
    c = Cluster(workers=1, seed=0)
    c.kubectl("create deployment web --image=nginx:1.27 --replicas=2")
    c.settle()
    rs_only = c.kubectl("events --for deploy/web").stdout
    assert "ScalingReplicaSet" in rs_only and "Deployment/web" in rs_only
    assert "Pod/" not in rs_only
    assert c.kubectl("events --types=Warning").stderr == \
        "No events found in default namespace.\n"
    everywhere = c.kubectl("events -A").stdout.splitlines()
    assert everywhere[0].startswith("NAMESPACE")
    assert any(line.startswith("kube-system ") for line in everywhere)
    listed = yaml.safe_load(c.kubectl("events --for deploy/web -o yaml").stdout)
    assert listed["kind"] == "List" and listed["items"][0]["reason"] == "ScalingReplicaSet"
    assert "valid --types are Normal or Warning" in c.kubectl("events --types=Info").stderr
    assert "resource type \"gadget\"" in c.kubectl("events --for gadget/x").stderr
    assert c.kubectl("events -n kube-node-lease").stderr == \
        "No events found in kube-node-lease namespace.\n"


def test_repeated_events_show_their_count() -> None:
    c = Cluster(workers=1, seed=0)
    c.kubectl("run crash --image=busybox:1.36 -- sh -c 'exit 1'")
    c.settle()
    c.advance(120)
    backoff = [line for line in c.kubectl("events --types=Warning").stdout.splitlines()
               if "BackOff" in line]
    assert backoff and " (x" in backoff[0] and " over " in backoff[0]

