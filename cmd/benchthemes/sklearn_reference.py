"""scikit-learn reference figures for docs/benchmarks.md ("Comment themes").

Reads the splits `go run ./cmd/benchthemes -dump DIR` writes (nhs-seedN-train.csv,
nhs-seedN-test.csv) and prints, per seed, micro- and macro-F1 of two one-vs-rest
LinearSVC models (TF-IDF word 1-2 grams; word 1-2 grams + char_wb 2-5 grams, sublinear,
min_df 2), as they are and with heard's rule that a comment that says nothing gets no
theme (the comments listed in DIR/saysnothing.txt, one a line), and the accuracy of a
logistic-regression sentiment model on the same features. Macro-F1 is over the themes
the test comments have or the model gave, as heard's Evaluate computes it.

Usage: python3 cmd/benchthemes/sklearn_reference.py DIR 1 2 3
"""
import csv
import sys

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.svm import LinearSVC


def load(path):
    rows = list(csv.DictReader(open(path, encoding="utf-8", newline="")))
    return ([r["text"] for r in rows], [[t for t in r["themes"].split(";") if t] for r in rows],
            [r["sentiment"] for r in rows])


def f1s(y, p):
    present = [j for j in range(y.shape[1]) if y[:, j].sum() > 0 or p[:, j].sum() > 0]
    return (f1_score(y, p, average="micro"),
            f1_score(y[:, present], p[:, present], average="macro", zero_division=0))


def main(folder, seeds):
    nothing = set(open(f"{folder}/saysnothing.txt", encoding="utf-8").read().split("\n")) - {""}
    for seed in seeds:
        tr = load(f"{folder}/nhs-seed{seed}-train.csv")
        te = load(f"{folder}/nhs-seed{seed}-test.csv")
        mlb = MultiLabelBinarizer().fit(tr[1] + te[1])
        ytr, yte = mlb.transform(tr[1]), mlb.transform(te[1])
        out = [f"seed {seed}"]
        for name, vecs in [
            ("word", [TfidfVectorizer(ngram_range=(1, 2))]),
            ("word+char", [TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2),
                           TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)]),
        ]:
            xtr = hstack([v.fit_transform(tr[0]) for v in vecs]).tocsr()
            xte = hstack([v.transform(te[0]) for v in vecs]).tocsr()
            p = np.zeros_like(yte)
            for j in range(ytr.shape[1]):
                if ytr[:, j].sum() > 0:
                    p[:, j] = LinearSVC(C=1.0).fit(xtr, ytr[:, j]).predict(xte)
            micro, macro = f1s(yte, p)
            for i, text in enumerate(te[0]):
                if text in nothing:
                    p[i, :] = 0
            micro_rule, macro_rule = f1s(yte, p)
            known_tr = [i for i, s in enumerate(tr[2]) if s]
            known_te = [i for i, s in enumerate(te[2]) if s]
            lr = LogisticRegression(max_iter=2000).fit(xtr[known_tr], [tr[2][i] for i in known_tr])
            acc = accuracy_score([te[2][i] for i in known_te], lr.predict(xte[known_te]))
            out.append(f"| {name}: micro {micro:.3f} macro {macro:.3f}, with the rule {micro_rule:.3f} {macro_rule:.3f},"
                       f" sentiment {acc:.3f}")
        print(" ".join(out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
