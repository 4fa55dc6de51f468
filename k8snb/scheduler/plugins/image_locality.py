"""ImageLocality: prefer nodes that already have the pod's images.

Each container image the node already has (``status.images`` as the kubelet reports it) adds
its size, scaled by the share of nodes that have it (an image every node has counts fully, one
only this node has counts little: that keeps pods from piling onto the one warm node). The sum
is mapped to 0..100 between 23 MB and 1000 MB per container. Weight 1.
(``pkg/scheduler/framework/plugins/imagelocality/image_locality.go``)
"""

from __future__ import annotations

import numpy as np

from k8snb.scheduler.cache import NodeArrays
from k8snb.scheduler.framework import MAX_NODE_SCORE, CycleState, NodeInfo, Plugin, PodInfo

MB = 1024 * 1024
MIN_THRESHOLD = 23 * MB
MAX_CONTAINER_THRESHOLD = 1000 * MB


def calculate_priority(sum_scores: int, num_containers: int) -> int:
    max_threshold = MAX_CONTAINER_THRESHOLD * num_containers
    sum_scores = min(max(sum_scores, MIN_THRESHOLD), max_threshold)
    return MAX_NODE_SCORE * (sum_scores - MIN_THRESHOLD) // (max_threshold - MIN_THRESHOLD)


class ImageLocality(Plugin):
    name = "ImageLocality"
    scores = True

    def __init__(self, cache: object = None) -> None:
        self.cache = cache  # a SchedulerCache: how many nodes have each image, how many nodes

    def _spread(self, name: str) -> float:
        a = self.cache.arrays  # type: ignore[attr-defined]
        return float(a.image_nodes.get(name, 0)) / float(len(self.cache))  # type: ignore[arg-type]

    def score(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> int:
        if pod.num_containers == 0:
            return 0
        sizes: dict[str, int] = {}
        for img in node.images:
            for n in img.get("names") or ():
                sizes[n] = int(img.get("sizeBytes") or 0)
        total = 0
        for image in pod.images:
            if image in sizes:
                total += int(float(sizes[image]) * self._spread(image))
        return calculate_priority(total, pod.num_containers)

    def score_batch(
        self, state: CycleState, pod: PodInfo, arrays: NodeArrays, idx: np.ndarray
    ) -> np.ndarray:
        if pod.num_containers == 0:
            return np.zeros(len(idx), np.int64)
        total = np.zeros(len(idx), np.int64)
        present = False
        for image in pod.images:
            col = arrays.image_sizes.get(image)
            if col is not None and arrays.image_nodes.get(image):
                total += (col[idx].astype(np.float64) * self._spread(image)).astype(np.int64)
                present = True
        if not present:
            return total  # no node has any of its images: every score is 0
        max_threshold = MAX_CONTAINER_THRESHOLD * pod.num_containers
        clipped = np.minimum(np.maximum(total, MIN_THRESHOLD), max_threshold)  # np.clip, faster
        return MAX_NODE_SCORE * (clipped - MIN_THRESHOLD) // (max_threshold - MIN_THRESHOLD)
