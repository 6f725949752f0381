"""kg.rdf.decisions: decisions merged across articles from records built by hand (no model, no RDF read)."""
from __future__ import annotations

from kg.rdf import decisions
from kg.rdf.terms import Minter
from kg.records import DecisionReport, ReportedDecision


def report(decider="mofcom", products=("h20",), sent=0, date=None, share=None, background=False):
    return DecisionReport(decider, "export", "close", tuple(products), sent, "禁止", date, share, background,
                          "d-cn-export-close")


def test_one_article_reads_its_reports_together():
    rd, = decisions.reported("a", [report(date="2025-04"), report(products=("h100",), date="2025-04-10", share=0.15),
                                   report(decider="china", background=True)])
    assert rd == ReportedDecision("d-cn-export-close", "a", "mofcom", "export", "close", ("h100", "h20"),
                                  "2025-04-10", 0.15, False, 3)


def test_an_implied_decider_yields_to_a_named_one():
    rd, = decisions.reported("a", [report(decider="china", background=True), report(decider="mofcom")])
    assert rd.decider == "mofcom" and not rd.background


def test_the_merge_counts_articles_and_mentions():
    accounts = [decisions.reported_one("b", "d-cn-export-close", [report(), report()]),
                decisions.reported_one("a", "d-cn-export-close", [report(decider="china", date="2025-04")]),
                decisions.reported_one("c", "d-cn-export-close", [report(date="2025-04-10", share=0.2)])]
    d, = decisions.merge(accounts, Minter())
    assert (d.decider, d.articles, d.mentions, d.date, d.share) == ("mofcom", ("a", "b", "c"), 4, "2025-04-10", 0.2)
    assert d.label == "mofcom export close h20"
    lines = decisions.decision_triples([d], Minter()).ntriples().decode()
    assert lines.count("#reportedIn>") == 3 and '"3"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>' in lines


def test_a_tie_between_deciders_goes_to_the_first_key():
    accounts = [decisions.reported_one("a", "k", [report(decider="mofcom")]),
                decisions.reported_one("b", "k", [report(decider="china")])]
    assert decisions.merge(accounts, Minter())[0].decider == "china"
