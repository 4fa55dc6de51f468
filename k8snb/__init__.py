"""k8snb: a whole Kubernetes cluster inside a Jupyter kernel, for learning how it works inside."""
