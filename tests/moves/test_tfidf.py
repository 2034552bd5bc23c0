"""The shipped TF-IDF transform equals scikit-learn's vectorizer fitted at training time."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from alteram.moves.tfidf import CharTfidf, fit_char_tfidf, statement_rows, tfidf_vectorizer

TRAIN = [
    "We demand their immediate release.",
    "We hear you, and we understand your concern.",
    "Let us find common ground on the border question.",
    "我们想了解贵方的看法。",
    "你们必须立即释放他们。",
    "How do you see the future of the talks?",
]
OTHER = ["", "x", "a  b\tc", "İstanbul ÉCOLE", "We demand answers now!", "贵方的看法 😀", "zzz"]


def test_transform_equals_the_training_vectorizer() -> None:
    vectorizer = tfidf_vectorizer(max_features=200).fit(TRAIN)
    tfidf = fit_char_tfidf(TRAIN, max_features=200)
    for texts in (TRAIN, OTHER):
        expected = vectorizer.transform(texts)
        got = tfidf.transform(texts)
        assert (abs(expected - got) > 1e-12).nnz == 0
        assert ((expected != 0) != (got != 0)).nnz == 0


def test_payload_round_trip_is_exact() -> None:
    tfidf = fit_char_tfidf(TRAIN, max_features=200, scale=0.5)
    again = CharTfidf.from_payload(tfidf.to_payload())
    assert again.vocabulary == tfidf.vocabulary and again.scale == 0.5
    assert np.array_equal(again.idf, tfidf.idf)
    assert (again.transform(OTHER) != tfidf.transform(OTHER)).nnz == 0


def test_statement_row_is_the_normalised_sum_of_its_sentences() -> None:
    tfidf = fit_char_tfidf(TRAIN, max_features=200)
    rows = tfidf.transform(TRAIN[:3])
    got = statement_rows(rows, np.array([0, 0, 1]), 2).toarray()
    whole = rows[0].toarray() + rows[1].toarray()
    np.testing.assert_allclose(got[0], (whole / np.linalg.norm(whole)).ravel())
    np.testing.assert_allclose(got[1], rows[2].toarray().ravel())
    assert isinstance(rows, sp.csr_matrix)
