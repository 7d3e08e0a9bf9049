#!/usr/bin/env python3
"""Refuses an #include that crosses the layers upwards or sideways (meson.build's layer table).

usage: check_layers.py STAMP DEPFILE SRC_DIR LAYER=BELOW,BELOW ...
Each src/LAYER/*.{c,h} may include "L/…" only for L = LAYER or one of its BELOW layers; files
directly in src/ (main.c, seed.c) belong to the layer named "app". Writes STAMP when clean and
a depfile naming every file and folder read, so that ninja reruns it when one changes.
"""
import os
import re
import sys

stamp, depfile, src = sys.argv[1], sys.argv[2], sys.argv[3]
allowed = {}
for rule in sys.argv[4:]:
    name, _, below = rule.partition('=')
    allowed[name] = {name} | {b for b in below.split(',') if b}

include = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/', re.M)
errors, read = [], [src]
for folder in sorted(os.listdir(src)):
    path = os.path.join(src, folder)
    if os.path.isdir(path):
        layer, files = folder, [os.path.join(path, f) for f in sorted(os.listdir(path))]
        read.append(path)
    else:
        layer, files = 'app', [path]
    if layer not in allowed:
        errors.append(f'{path}: folder {folder} is not a layer of meson.build')
        continue
    for f in files:
        if not f.endswith(('.c', '.h')):
            continue
        read.append(f)
        text = open(f, encoding='utf-8').read()
        for m in include.finditer(text):
            if m.group(1) not in allowed[layer]:
                line = text.count('\n', 0, m.start()) + 1
                errors.append(f'{f}:{line}: the {layer} layer may not include {m.group(1)}/ '
                              f'(it may use {", ".join(sorted(allowed[layer]))})')
if errors:
    sys.exit('\n'.join(errors))
with open(depfile, 'w') as d:
    d.write(stamp.replace(' ', '\\ ') + ': ' + ' '.join(p.replace(' ', '\\ ') for p in read) + '\n')
with open(stamp, 'w') as s:
    s.write('ok\n')
