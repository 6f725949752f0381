"""RDF: the per-article triples, their assembly into one graph, SHACL."""
