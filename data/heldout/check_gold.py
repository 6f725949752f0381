#!/usr/bin/env python3
"""Check the held-out gold: format, keys, entity references, and that every mention and
evidence string occurs in the article body (clutter excluded), after OpenCC t2s on both sides."""
import csv, json, re, html as H, sys, os
from pathlib import Path
import opencc
T2S = opencc.OpenCC('t2s').convert
HERE = Path(__file__).parent
SHARED = Path(__file__).resolve().parents[3] / 'shared'   # ../shared beside the checkout
BODY = {  # first and last string of the article body, in the t2s visible text
 'h01': ('特朗普放行英伟达H200对华出口', '或要求买家说明为何无法改用国产芯片。'),
 'h02': ('安世半导体风波：荷兰暂停行政令', '但双方在公司控制权问题上仍存在明显分歧。'),
 'h03': ('市场监管总局初步认定英伟达违反反垄断法', '但未透露细节。'),
 'h04': ('字节、阿里被要求停购RTX Pro 6000D', '已经明显转向国产方案。'),
 'h05': ('老黄的“北京时刻”', '但前提是中国客户仍愿意下单。'),
 'h06': ('“芯片优先供美国客户”条款被拿掉', '条件是英伟达上缴15%的在华销售收入。'),
 'h07': ('特朗普放行H200之后：北京为何不急着接球？', '采购也会被限定在少数非敏感的训练场景。'),
 'h08': ('川普废AI扩散规则后再出手', '这项措施的象征意义大于实质。'),
 'h09': ('稀土管制暂停一年 台链松口气', '影响将首先出现在设备维修和扩产时程上。'),
 'h10': ('北京约谈英伟达后再劝企业弃用H20', '条件是上缴15%的相关收入。'),
 'h11': ('【中美芯片战】北京据报批准首批H200进口', '质疑25%分成安排违反《出口管制改革法》。'),
 'h12': ('Blackwell对华“暂时无望”', '而国产算力链有望在明年迎来订单放量。'),
}
CLASSES = {'Person', 'Company', 'GovernmentBody', 'Country', 'Media', 'Product'}
PREDS = {'lobbies','advises','criticizes','reports_to','meets','investigates','summons','sanctions','restricts','rejects','produces','member_of'}
EQUIV = {'us-government': 'united-states', 'chinese-government': 'china'}
canon = lambda k: EQUIV.get(k, k)

def visible(path):
    s = path.read_text(encoding='utf-8')
    if path.suffix == '.html':
        s = re.sub(r'(?is)<(script|style|head)\b.*?</\1>', ' ', s)
        s = re.sub(r'(?i)<br\s*/?>|</p>|</h\d>|</li>|</div>', '\n', s)
        s = H.unescape(re.sub(r'<[^>]+>', '', s))
    return T2S(s)

keys = {r['key']: (r['class'], r['label_zh']) for r in csv.DictReader(open(SHARED/'contract/keys.tsv'), delimiter='\t')}
dec_ids = set()
for f in (SHARED/'dev/decisions.tsv', HERE/'decisions.tsv'):
    dec_ids |= {r['id'] for r in csv.DictReader(open(f), delimiter='\t')}
problems = 0
def bad(msg):
    global problems; problems += 1; print('PROBLEM', msg)
for doc, (a, z) in BODY.items():
    path = next(p for p in (HERE/'texts'/f'{doc}.txt', HERE/'texts'/f'{doc}.html') if p.exists())
    v = visible(path); i = v.find(a); j = v.find(z, max(i, 0))
    if i < 0 or j < 0: bad(f'{doc}: body markers not found'); continue
    body = v[i:j+len(z)]
    rows = [json.loads(l) for l in open(HERE/'gold'/f'{doc}.jsonl', encoding='utf-8') if l.strip()]
    ents = {}; decs = set()
    for r in rows:
        if r.get('doc') != doc: bad(f'{doc}: wrong doc field {r}')
        if r['type'] == 'entity':
            if r['id'] in ents: bad(f'{doc}: duplicate entity {r["id"]}')
            ents[r['id']] = r
            if r['class'] not in CLASSES: bad(f'{doc}: class {r}')
            if r['id'] in keys and keys[r['id']] != (r['class'], r['label_zh']): bad(f'{doc}: key label/class {r["id"]}')
            if not r['mentions']: bad(f'{doc}: no mentions {r["id"]}')
            for m in r['mentions']:
                if T2S(m) not in body: bad(f'{doc}: mention not in body {r["id"]} {m}')
        elif r['type'] == 'decision':
            decs.add(r['id'])
            if r['id'] not in dec_ids: bad(f'{doc}: unknown decision id {r["id"]}')
            if r['scope'] not in ('export','import','other') or r['direction'] not in ('open','close'): bad(f'{doc}: scope/direction {r}')
    ce = {canon(k) for k in ents}
    has = lambda k: canon(k) in ce
    for r in rows:
        t = r['type']
        if t == 'relation':
            if r['p'] not in PREDS: bad(f'{doc}: predicate {r}')
            for k in (r['s'], r['o']):
                if not has(k): bad(f'{doc}: relation end not an entity {k}')
            if T2S(r.get('evidence','')) not in body: bad(f'{doc}: evidence not in body {r["evidence"][:40]}')
            if r['p'] == 'produces' and ents.get(r['o'],{}).get('class') != 'Product': bad(f'{doc}: produces non-product {r}')
            if r.get('date') and not re.fullmatch(r'\d{4}(-\d\d(-\d\d)?)?', r['date']): bad(f'{doc}: date {r}')
        elif t == 'decision':
            if not has(r['decider']): bad(f'{doc}: decider not an entity {r["decider"]}')
            for p in r['products']:
                if not has(p): bad(f'{doc}: product not an entity {p}')
        elif t == 'stance':
            if not has(r['actor']): bad(f'{doc}: stance actor not an entity {r["actor"]}')
            if r['decision'] not in decs: bad(f'{doc}: stance decision not in doc {r["decision"]}')
            if r['stance'] not in ('for','against'): bad(f'{doc}: stance value {r}')
        elif t != 'entity':
            bad(f'{doc}: type {t}')
    body_chars = len(re.sub(r'\s', '', body))
    print(f'{doc}: body {body_chars} chars, ' + ', '.join(f'{k} {sum(r["type"]==k for r in rows)}' for k in ('entity','relation','decision','stance')))
print(f'{problems} problems')
sys.exit(1 if problems else 0)
