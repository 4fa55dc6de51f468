"""The Deployment controller (``pkg/controller/deployment``): see :mod:`.controller`."""

from k8snb.controllers.deployment.controller import COMPONENT, DeploymentController

__all__ = ["DeploymentController", "COMPONENT"]
