"""Writes N generated searchable documents into search_documents of a migrated SQLite database
(bench/search/run.sh): titles and bodies drawn, with a fixed seed, from a vocabulary of the
platform's Chinese and English words among 3,000 filler words of common characters, with
Zipf-like frequencies (the k-th word's weight 1/k, as in real text; the filler takes the first
100 ranks as function words do, the platform's words one in 20 ranks from there), so that the
words of queries.txt are in a few percent of the documents, as in a real corpus."""
import random
import sqlite3
import sys

path, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
zh = ("知识产权 管理体系 内审 内审员 专利 商标 著作权 商业秘密 贯标 认证 审核 监督 合规 标准 条款 "
      "政策解读 业务宣讲 培训 课程 考试 证书 企业 机构 评审 风险 控制 文件 记录 目标 方针 资源 "
      "运行 绩效 改进 纠正措施 管理评审 领导作用 策划 支持 检索 分析 布局 许可 转让 质押 维权 "
      "保密 合同 研发 采购 生产 销售 档案 信息 数据 奖励 考核 人员 能力 意识 沟通").split()
en = ("patent trademark copyright audit internal management system standard clause policy "
      "training course quiz certificate compliance risk control record objective review "
      "improvement corrective action leadership planning support search analysis license").split()
types = ["lesson", "course", "announcement", "topic", "commitment"]

common = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质"
rng_words = random.Random(seed + 1)
filler = sorted({"".join(rng_words.choice(common) for _ in range(2)) for _ in range(3000)})
rng_words.shuffle(filler)
# the filler words take the most frequent ranks (as the function words of real text do) and the
# platform's words are spread from rank 100 on, one in every 20 ranks
domain = [w for pair in zip(zh, en + zh) for w in pair][: len(zh) + len(en)]
vocabulary = filler[:100]
rest = filler[100:]
for i, w in enumerate(domain):
    vocabulary.append(w)
    vocabulary.extend(rest[i * 19:(i + 1) * 19])
vocabulary.extend(rest[len(domain) * 19:])
cumulative, total = [], 0.0
for k in range(1, len(vocabulary) + 1):
    total += 1.0 / k
    cumulative.append(total)


def words(k):
    return rng.choices(vocabulary, cum_weights=cumulative, k=k)

db = sqlite3.connect(path)
rows = []
for i in range(1, n + 1):
    title = "".join(words(rng.randint(2, 5)))
    body = "，".join("".join(words(rng.randint(2, 5))) for _ in range(rng.randint(3, 8))) + "。"
    rows.append((types[i % len(types)], i, title, body, f"/x/{i}", 1, 0))
db.executemany("INSERT INTO search_documents (type, ref_id, title, body, url, public, updated_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
db.commit()
