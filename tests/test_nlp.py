"""Stage 2: segmentation with the catalog's user dictionary, sentences, entity mentions."""
import pytest

from conftest import analyse_text

pytestmark = pytest.mark.slow


def keys(analysis):
    return [m.key for m in analysis.mentions]


def test_user_dictionary_keeps_names_whole():
    a = analyse_text("英伟达CEO黄仁勋表示,鲁比奥长期将芯片出口视为红线。")
    tokens = [a.article.text[s:e] for s, e in a.tokens]
    assert "英伟达" in tokens and "鲁比奥" in tokens


def test_sentences_split_after_closing_quotes():
    a = analyse_text("他说:“芯片很重要。”随后离开。\n第二段开始了。")
    assert [s.text for s in a.sentences] == ["他说:“芯片很重要。”", "随后离开。", "第二段开始了。"]


def test_catalog_aliases_regional_forms_and_traditional_script():
    a = analyse_text("輝達執行長黃仁勳與川普會面,討論昇騰晶片。")
    assert {"nvidia", "jensen-huang", "donald-trump", "ascend"} <= set(keys(a))


def test_model_codes_respect_boundaries():
    a = analyse_text("英伟达的H200芯片比H20芯片快,H200AI芯片也在名单上。")
    products = [(m.surface, m.key) for m in a.mentions if m.cls == "Product"]
    assert products == [("H200", "h200"), ("H20", "h20"), ("H200", "h200")]


def test_longest_name_wins():
    a = analyse_text("美国众议院中国问题特别委员会主席莫伦纳发表声明。")
    assert keys(a)[:2] == ["us-house-select-committee-ccp", "john-moolenaar"]


def test_ambiguous_alias_follows_the_document():
    home = analyse_text("商务部新闻发言人表示,将对相关芯片发起调查。")
    assert "mofcom" in keys(home)
    us = analyse_text("美国商务部宣布新规。商务部还表示,许可证将暂停发放。")
    assert keys(us).count("us-commerce-department") == 2


def test_nickname_and_pronoun():
    a = analyse_text("老黄这两天很忙。鲁比奥反对放宽出口,他向特朗普表示了担忧。")
    assert ("jensen-huang", "nickname") in [(m.key, m.how) for m in a.mentions]
    assert [(p.surface, p.key) for p in a.pronouns] == [("他", "marco-rubio")]


def test_unknown_person_after_a_title_gets_a_stable_key():
    a = analyse_text("美国商务部副部长阿尔文表示,出口管制将继续。")
    new = [m for m in a.mentions if m.how == "title-name"]
    assert [(m.surface, m.key) for m in new] == [("阿尔文", "aerwen")]
    assert a.new_entities["aerwen"].cls == "Person"


def test_unknown_chip_code_needs_chip_context():
    a = analyse_text("AMD的MI308芯片获得许可。东风-17导弹射程很远,B2轰炸机也是。")
    codes = [m.surface for m in a.mentions if m.how == "product-code"]
    assert codes == ["MI308"] or codes == []   # MI308 may be in the catalog
    assert "mi308" in keys(a)
    assert "b2" not in keys(a)


def test_unknown_company_before_gongsi():
    a = analyse_text("Cerebras公司CEO表示,美国AI公司也很焦虑。")
    assert "cerebras" in keys(a)
    assert "ai" not in keys(a)


def test_home_government_word():
    a = analyse_text("英伟达芯片刚准备重返市场,官方就对其进行约谈。英伟达官方回应称芯片没有后门。")
    home = [m for m in a.mentions if m.how == "home-government"]
    assert len(home) == 1 and home[0].key == "chinese-government"


def test_ambiguous_alias_looks_at_its_own_and_the_previous_sentence():
    a = analyse_text("商务部宣布对镓实施出口管制。国家网信办启动审查。此前,美国商务部将长江存储列入实体清单。")
    assert [m.key for m in a.mentions if m.surface == "商务部"] == ["mofcom"]
