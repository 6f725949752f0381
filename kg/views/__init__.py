"""Views of the built graph: facts, scores, analysis, reports, SPARQL, upload."""
