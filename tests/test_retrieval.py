from assistant.embedding.base import FakeEmbedder
from assistant.retrieval.hybrid import HybridRetriever, mentioned_docs, rrf
from assistant.store.index import build_index, open_index


def test_rrf_rewards_agreement():
    scores = rrf([["a", "b", "c"], ["b", "a", "d"]], k=60)
    assert scores["a"] == scores["b"] > scores["c"] > 0
    assert scores["c"] == 1 / 63 and scores["d"] == 1 / 63


def test_named_source_is_preferred(fake_settings):
    build_index(fake_settings, FakeEmbedder())
    kb = open_index(fake_settings)
    assert mentioned_docs("wat zegt het Nivel over bekostiging?", kb) == {"nivel-bekostiging"}
    r = HybridRetriever(kb, FakeEmbedder())
    top = r.search("Wat zegt het Nivel over samenwerking en financiering?", k=3).chunks
    assert top[0].chunk.doc_id == "nivel-bekostiging"


def test_search_returns_ranked_chunks_with_ranks(fake_settings):
    build_index(fake_settings, FakeEmbedder())
    r = HybridRetriever(open_index(fake_settings), FakeEmbedder())
    res = r.search("kassier casemanagers loonlijst", k=5)
    assert len(res.chunks) == 5
    assert [c.score for c in res.chunks] == sorted((c.score for c in res.chunks), reverse=True)
    assert "kassier" in res.chunks[0].chunk.text.lower()
    assert res.top_lexical > 0
