"""Stage 3: how Chinese news states acts, on sentences written for these tests."""
import pytest

from conftest import decisions, extract_text, rel, stances

pytestmark = pytest.mark.slow


def test_a_verb_b():
    assert ("joe-biden", "lobbies", "donald-trump") not in rel(extract_text("黄仁勋多次游说拜登。"))
    assert ("jensen-huang", "lobbies", "joe-biden") in rel(extract_text("黄仁勋多次游说拜登。"))


def test_a_preposition_b_verb():
    r = rel(extract_text("苏姿丰向白宫游说,希望获得出口许可。"))
    assert ("lisa-su", "lobbies", "white-house") in r


def test_advice_needs_a_preposition():
    assert ("marco-rubio", "advises", "donald-trump") in rel(extract_text("鲁比奥向特朗普表示,放宽出口将带来风险。"))
    assert not {a for a in rel(extract_text("鲁比奥表示,特朗普会做出决定。")) if a[1] == "advises"}


def test_passive_with_bei():
    assert ("cac", "summons", "nvidia") in rel(extract_text("英伟达被国家网信办约谈。"))
    assert ("china", "rejects", "united-states") in rel(extract_text("美国再次被中国拒绝了。"))


def test_owner_of_a_preposition_phrase_is_the_target():
    r = rel(extract_text("中方第一时间对美方的行为进行了谴责。"))
    assert r == {("chinese-government", "criticizes", "us-government")}


def test_vague_target_gives_no_relation():
    r = extract_text("美方对中国的一些集成电路企业实施了制裁。")
    assert not [a for a in r.acts if a.predicate == "sanctions"]
    assert decisions(r) == {("us-government", "export", "close", ())}


def test_opposition_of_a_coordinated_group_is_a_stance_of_each():
    r = extract_text("黄仁勋游说特朗普放宽芯片出口。然而在鲁比奥和格里尔等人的反对下,"
                     "计划胎死腹中。最终特朗普拒绝放宽对华芯片出口。")
    assert stances(r) == {("jensen-huang", "against"), ("marco-rubio", "for"), ("jamieson-greer", "for")}


def test_quoted_criticism_of_the_actor_the_quote_opens_with():
    r = rel(extract_text("贝森特直言:“中方的做法非常错误,破坏了谈判。”"))
    assert ("scott-bessent", "criticizes", "chinese-government") in r


def test_quote_that_only_names_an_object_is_not_criticism():
    r = rel(extract_text("黄仁勋直言:“低估中国的实力是愚蠢的。”"))
    assert not [t for t in r if t[1] == "criticizes"]


def test_reported_speech_keeps_the_act_and_not_the_reporter():
    r = rel(extract_text("据《华尔街日报》报道,英伟达CEO黄仁勋曾游说特朗普。"))
    assert ("jensen-huang", "lobbies", "donald-trump") in r
    assert ("jensen-huang", "member_of", "nvidia") in r
    assert not [t for t in r if t[0] == "wall-street-journal"]


def test_coordination_spreads_to_every_member():
    r = rel(extract_text("卢特尼克与贝森特分别约谈了英伟达和AMD。"))
    assert {("howard-lutnick", "summons", "nvidia"), ("howard-lutnick", "summons", "amd"),
            ("scott-bessent", "summons", "nvidia"), ("scott-bessent", "summons", "amd")} <= r


def test_pronoun_and_nickname_subjects():
    r = rel(extract_text("鲁比奥长期反对对华出售芯片。他向特朗普明确表示,这将威胁美国安全。"))
    assert ("marco-rubio", "advises", "donald-trump") in r
    assert ("jensen-huang", "lobbies", "donald-trump") in rel(extract_text("老黄再次游说特朗普。"))


def test_qi_refers_to_the_subject_of_an_earlier_clause():
    r = rel(extract_text("英伟达芯片刚准备重返市场,国家网信办就对其进行约谈。"))
    assert ("cac", "summons", "nvidia") in r


def test_headline_and_body_give_one_fact(tmp_path):
    from kg import pipeline
    from kg.views import facts
    (tmp_path / "a.txt").write_text("黄仁勋游说特朗普失败\n\n英伟达CEO黄仁勋曾游说特朗普,但没有成功。\n",
                                     encoding="utf-8")
    built = pipeline.build([tmp_path])
    lines = [r for r in facts.relation_facts(built.graph) if r["p"] == "lobbies"]
    assert len(lines) == 1


@pytest.mark.parametrize("text", [
    "特朗普可能批准H200芯片出口。",
    "如果美国继续制裁华为,中方将拒绝合作。",
    "美国试图通过技术封锁遏制中国。",
    "鲁比奥为何反对对华出售芯片?",
])
def test_speculation_conditions_and_questions_are_not_acts(text):
    r = extract_text(text)
    assert not decisions(r)
    assert not [a for a in r.acts if a.predicate in ("sanctions", "restricts", "rejects")]


@pytest.mark.parametrize("text", ["美国鹰派官员批评英伟达。", "美国有议员呼吁限制英伟达芯片。", "国内企业拒绝与英伟达合作。"])
def test_vague_groups_are_not_agents(text):
    assert not extract_text(text).acts


def test_negation():
    assert not [a for a in extract_text("特朗普没有限制英伟达。").acts if a.predicate == "restricts"]
    # 没少 ("no little") asserts
    r = rel(extract_text("黄仁勋也是东跑西跑,没少在特朗普身边吹风。"))
    assert ("jensen-huang", "lobbies", "donald-trump") in r


def test_export_approval_with_date_and_revenue_share():
    r = extract_text("2025年12月8日,特朗普宣布批准英伟达H200芯片出口中国,但美国政府将抽取25%的收入。")
    [d] = [d for d in r.decisions]
    assert (d.decider, d.scope, d.direction, d.products, d.date, d.share) == \
        ("donald-trump", "export", "open", ("h200",), "2025-12-08", 0.25)


def test_import_decision_from_a_notice_to_buyers():
    r = extract_text("国内企业接到通知,要求停止采购英伟达H20芯片。")
    assert decisions(r) == {("chinese-government", "import", "close", ("h20",))}


def test_other_scope_and_deadline_not_taken_as_date():
    r = extract_text("特朗普决定延期执行有关TikTok的禁令至12月16日。", date="2025-09-18")
    [d] = r.decisions
    assert (d.scope, d.direction, d.date) == ("other", "open", None)


def test_a_company_does_not_decide():
    assert not extract_text("英伟达宣布限制H20芯片对华出口。").decisions


def test_acts_are_dated_from_their_clause():
    r = extract_text("9月15日,市场监管总局宣布对英伟达实施反垄断调查。", date="2025-09-18")
    assert [(a.predicate, a.agent, a.target, a.date) for a in r.acts] == \
        [("investigates", "samr", "nvidia", "2025-09-15")]


def test_member_of_needs_an_organisation_not_a_country():
    assert ("dario-amodei", "member_of", "anthropic") in rel(extract_text("Anthropic公司CEO阿莫迪发出警告。"))
    assert not rel(extract_text("美国国务卿鲁比奥发出警告。"))


def test_maker_and_product_in_one_sentence():
    assert ("huawei", "produces", "ascend") in rel(extract_text("华为昇腾芯片的产量提升。"))


def test_headline_spaces_separate_clauses():
    r = rel(extract_text("美商务部将多家中国企业列入实体清单 中方强烈反对"))
    assert not [t for t in r if t[1] == "sanctions"]


def test_entity_list_with_the_listed_company_as_object():
    r = extract_text("美国商务部工业与安全局25日宣布,将浪潮集团列入出口管制“实体清单”。", date="2025-03-27")
    assert ("bis", "sanctions", "inspur") in rel(r)
    assert {(d.decider, d.date) for d in r.decisions} == {("bis", "2025-03-25")}


def test_a_clause_about_a_product_has_no_actor_subject():
    r = extract_text("特朗普政府日前通知辉达,H20晶片出口中国需要取得许可证,实际上等于禁止销售。")
    assert {(a.agent, a.target) for a in r.acts if a.predicate == "restricts"} == {("us-government", "h20")}


def test_giving_in_needs_the_one_given_in_to():
    r = extract_text("特朗普决定延期执行TikTok禁令。特朗普政府向中方妥协,接受了中方的要求。")
    assert stances(r) == {("chinese-government", "for")}
    r = extract_text("特朗普拒绝放宽芯片出口。黄仁勋甚至提出将部分销售额上缴美国政府的妥协方案。")
    assert ("us-government", "for") not in stances(r)


def test_chinese_export_controls_are_scope_other():
    r = extract_text("商务部、海关总署3日发布公告,宣布对镓、锗相关物项实施出口管制。", date="2023-07-04")
    assert {(d.decider, d.scope, d.direction, d.date) for d in r.decisions} == \
        {("mofcom", "other", "close", "2023-07-03")}
