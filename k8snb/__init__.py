"""k8snb: a whole Kubernetes cluster inside a Jupyter kernel, for learning how it works inside.

>>> from k8snb import Cluster
>>> cluster = Cluster(workers=2, seed=0)
>>> cluster.kubectl("get nodes")            # doctest: +SKIP
"""

from k8snb.api.errors import StatusError
from k8snb.cluster import Cluster
from k8snb.kubectl.magic import current, load_ipython_extension, use
from k8snb.kubectl.result import KubectlResult

__all__ = ["Cluster", "KubectlResult", "StatusError", "current", "load_ipython_extension", "use"]
__version__ = "0.1.0"
