#!/usr/bin/python3
# Writes a policy of about N characters (default 50,000) for bench/policy: the corpus's passages
# (tests/policy/corpus.json) in a fixed pseudo-random order, as numbered articles, until the
# length is reached; about a fifth of them break a rule, so the checker does real work.
#   generate.py OUT_TEXT OUT_JSON [CHARS] [SEED]   (OUT_JSON: {"text": …}, the POST body)
import json, random, sys
from pathlib import Path

root = Path(__file__).resolve().parents[2]
out_text, out_json = sys.argv[1], sys.argv[2]
chars = int(sys.argv[3]) if len(sys.argv) > 3 else 50000
rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 20261130)
passages = json.loads((root / "tests/policy/corpus.json").read_text(encoding="utf-8"))["passages"]
numerals = "〇一二三四五六七八九"
def article(n):
    return "第" + "".join(numerals[int(d)] for d in str(n)) + "条　"
parts = ["某市知识产权专项资金管理办法\n\n"]
length = len(parts[0])
n = 0
while length < chars:
    p = rng.choice(passages)["text"]
    n += 1
    piece = article(n) + p + "\n"
    parts.append(piece)
    length += len(piece)
text = "".join(parts)[:chars]
Path(out_text).write_text(text, encoding="utf-8")
Path(out_json).write_text(json.dumps({"text": text}, ensure_ascii=False), encoding="utf-8")
print(len(text))
