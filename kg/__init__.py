"""kg: a knowledge graph of US–China chip export policy from Chinese-language news.

``kg.load("out/graph.ttl")`` opens a built graph for Python (:mod:`kg.api`); the stages are
the subpackages, the command line is ``kg`` (:mod:`kg.cli`).
"""
from kg.api import KnowledgeGraph, load

__all__ = ["KnowledgeGraph", "load"]
