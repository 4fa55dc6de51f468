"""The scheduling plugins of the default profile, one module each.

Every plugin implements its extension points twice: node by node, as upstream writes them
(what :mod:`k8snb.scheduler.explain` runs), and over numpy columns for all nodes at once
(what the scheduler runs). The tests check that both give the same answers.
"""
