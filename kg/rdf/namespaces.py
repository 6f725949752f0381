"""Every namespace kg writes or queries, and its prefix: the only place these IRIs are spelled.

The ontology's terms are listed as in rdflib's DefinedNamespace, so that a term
kg.ttl does not declare fails on use (``KGO.agnet`` raises AttributeError) rather
than minting a new IRI; a test keeps the list equal to ``ontology/kg.ttl``
(``ontology/shapes.ttl`` for the shapes). schema.org, PROV-O, SKOS, SHACL: only the
terms kg uses are listed, or rdflib's own definitions are used.
"""
from __future__ import annotations

from rdflib import RDF, RDFS, XSD, Namespace, URIRef
from rdflib.namespace import PROV, SH, SKOS, DefinedNamespace

#: where the IRIs of everything kg mints live, unless a build is given another base
DEFAULT_BASE = "https://w3id.org/kg-chips/id/"


class KGO(DefinedNamespace):
    """The kg ontology (ontology/kg.ttl)."""
    _NS = Namespace("https://w3id.org/kg-chips/ontology#")
    _fail = True
    Act: URIRef; Actor: URIRef; Advising: URIRef; Article: URIRef; Company: URIRef;
    Country: URIRef; Criticism: URIRef; Decision: URIRef; DecisionReport: URIRef;
    ExportDecision: URIRef; GovernmentBody: URIRef; ImportDecision: URIRef; Investigation: URIRef;
    Lobbying: URIRef; Media: URIRef; Meeting: URIRef; Membership: URIRef; Mention: URIRef;
    OtherDecision: URIRef; Person: URIRef; Post: URIRef; Product: URIRef; Production: URIRef;
    Rejection: URIRef; Reporting: URIRef; Restriction: URIRef; Sanction: URIRef; Sentence: URIRef;
    Stance: URIRef; Summons: URIRef; actProperty: URIRef; actor: URIRef; advises: URIRef;
    agent: URIRef; background: URIRef; catalogued: URIRef; confidence: URIRef; criticizes: URIRef;
    date: URIRef; dateSource: URIRef; decider: URIRef; decision: URIRef; directProperty: URIRef;
    direction: URIRef; docId: URIRef; encoding: URIRef; endOffset: URIRef; evidence: URIRef;
    holdsPost: URIRef; inArticle: URIRef; inSentence: URIRef; investigates: URIRef; key: URIRef;
    lobbies: URIRef; madeBy: URIRef; meets: URIRef; memberOf: URIRef; mentionOf: URIRef;
    method: URIRef; numArticles: URIRef; numMentions: URIRef; opposes: URIRef; outlet: URIRef; postIn: URIRef;
    postTitle: URIRef; produces: URIRef; product: URIRef; rejects: URIRef; reports: URIRef;
    reportsTo: URIRef; restricts: URIRef; revenueShare: URIRef; sanctions: URIRef; scope: URIRef;
    script: URIRef; sentenceIndex: URIRef; sha256: URIRef; sourceFile: URIRef; sourceLine: URIRef;
    stance: URIRef; startOffset: URIRef; summons: URIRef; supports: URIRef; surface: URIRef;
    surfaceOriginal: URIRef; target: URIRef; text: URIRef; trigger: URIRef; via: URIRef;
    # written by the decision merge and required by shapes.ttl, but not declared in kg.ttl
    reportedIn: URIRef


class KGS(DefinedNamespace):
    """The SHACL shapes of ontology/shapes.ttl."""
    _NS = Namespace("https://w3id.org/kg-chips/shapes#")
    _fail = True
    ActShape: URIRef; ActorValue: URIRef; AdvisingShape: URIRef; ArticleShape: URIRef;
    CompanyShape: URIRef; CountryShape: URIRef; CriticismShape: URIRef; DateValue: URIRef;
    DecisionReportShape: URIRef; DecisionShape: URIRef; EntityValue: URIRef;
    ExportDecisionShape: URIRef; GovernmentBodyShape: URIRef; ImportDecisionShape: URIRef;
    InvestigationShape: URIRef; LobbyingShape: URIRef; MediaShape: URIRef; MeetingShape: URIRef;
    MembershipShape: URIRef; MentionShape: URIRef; OtherDecisionShape: URIRef; PersonShape: URIRef;
    PostShape: URIRef; ProductShape: URIRef; ProductionShape: URIRef; RejectionShape: URIRef;
    ReportingShape: URIRef; RestrictionShape: URIRef; SanctionShape: URIRef; SentenceShape: URIRef;
    StanceShape: URIRef; SummonsShape: URIRef; advises: URIRef; altLabel: URIRef;
    catalogued: URIRef; criticizes: URIRef; date: URIRef; decider: URIRef; direction: URIRef;
    key: URIRef; label: URIRef; lobbies: URIRef; meets: URIRef; memberOf: URIRef;
    numMentions: URIRef; opposes: URIRef; prefLabel: URIRef; produces: URIRef; product: URIRef;
    reportsTo: URIRef; revenueShare: URIRef; scope: URIRef; supports: URIRef;


class SCHEMA(DefinedNamespace):
    """The schema.org terms kg writes."""
    _NS = Namespace("https://schema.org/")
    _fail = True
    headline: URIRef; datePublished: URIRef; url: URIRef; mentions: URIRef; startDate: URIRef; endDate: URIRef


#: prefix -> namespace, for Turtle output, SPARQL queries and graphs: the prefixes kg binds
PREFIXES: dict[str, str] = {
    "kgo": str(KGO), "rdfs": str(RDFS), "schema": str(SCHEMA), "skos": str(SKOS), "prov": str(PROV),
    "xsd": str(XSD),
}
#: prefixes a query or a table may also use
MORE_PREFIXES: dict[str, str] = {"rdf": str(RDF), "id": DEFAULT_BASE, "kgs": str(KGS), "sh": str(SH)}


def sparql_prefixes(*names: str) -> str:
    """PREFIX lines for a SPARQL query, one per name (of PREFIXES or MORE_PREFIXES)."""
    known = {**PREFIXES, **MORE_PREFIXES}
    return "".join(f"PREFIX {name}: <{known[name]}>\n" for name in names)


__all__ = ["DEFAULT_BASE", "KGO", "KGS", "SCHEMA", "PROV", "SKOS", "SH", "RDF", "RDFS", "XSD", "PREFIXES",
           "MORE_PREFIXES", "sparql_prefixes"]
