"""The records extraction hands to the graph stage (defined in kg/records.py with the others)."""
from kg.records import Act, DecisionReport, DocActs, Push, StanceFact

__all__ = ["Act", "DecisionReport", "DocActs", "Push", "StanceFact"]
